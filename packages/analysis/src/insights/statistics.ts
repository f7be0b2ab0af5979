import { normalCdf } from "../correlation/statistics.ts";

/** z of a two-sided 95% interval. */
const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval (95%) of a proportion `failed / total`: unlike the normal
 * approximation it stays inside [0, 1] and is honest about small samples (3 of 3 failed
 * is 0.44–1, not 1–1). Null with no trials.
 */
export function wilson(failed: number, total: number): Interval | null {
  if (total <= 0) return null;
  const p = failed / total;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (Z95 / (1 + z2 / total)) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface TrendTest {
  /** Positive: the failure rate rises with the score (bigger batches fail more). */
  z: number;
  /** Two-sided. */
  p: number;
}

/**
 * The Cochran–Armitage test for a trend in proportions across ordered groups (scores 0,
 * 1, 2, … in order): does the failure rate rise or fall with the group? Null when it
 * cannot be computed (fewer than two groups with deployments, or no failures or no
 * successes at all).
 */
export function trendTest(groups: readonly { failed: number; total: number }[]): TrendTest | null {
  const used = groups.map((g, score) => ({ ...g, score })).filter((g) => g.total > 0);
  if (used.length < 2) return null;
  const n = used.reduce((sum, g) => sum + g.total, 0);
  const x = used.reduce((sum, g) => sum + g.failed, 0);
  const pBar = x / n;
  if (pBar === 0 || pBar === 1) return null;
  const t = used.reduce((sum, g) => sum + g.score * (g.failed - g.total * pBar), 0);
  const sumTN = used.reduce((sum, g) => sum + g.score * g.total, 0);
  const sumT2N = used.reduce((sum, g) => sum + g.score * g.score * g.total, 0);
  const variance = pBar * (1 - pBar) * (sumT2N - (sumTN * sumTN) / n);
  if (variance <= 0) return null;
  const z = t / Math.sqrt(variance);
  return { z, p: 2 * (1 - normalCdf(Math.abs(z))) };
}
