import { z } from "zod";
import type { MetricComparison } from "./compare.ts";
import type { CorrelationSettings } from "./settings.ts";

export const GateVerdict = z.object({
  ok: z.boolean(),
  /** 0-100; null when inconclusive. */
  score: z.number().nullable(),
  verdict: z.enum(["pass", "marginal", "fail", "inconclusive"]),
  reasons: z.array(z.string()),
});
export type GateVerdict = z.infer<typeof GateVerdict>;

function describe(c: MetricComparison): string {
  const change = c.relativeChange === null ? `shift ${c.shift?.toPrecision(3)}` : `${c.relativeChange >= 0 ? "+" : ""}${(c.relativeChange * 100).toFixed(1)}%`;
  return `${c.metric} ${c.verdict.replace("_", " ")} (${change}, p=${c.pValue?.toPrecision(2)})`;
}

/**
 * Kayenta-style score of one comparison: a metric passes unless it regressed; each group
 * scores the share of its metrics with data that passed, and the score is the weighted
 * mean of the groups that had data. A critical metric failing scores 0; half or more of
 * the metrics without data is inconclusive, never a pass. Weights of 0 leave a group out.
 */
export function scoreComparisons(comparisons: readonly MetricComparison[], settings: CorrelationSettings): GateVerdict {
  const withData = comparisons.filter((c) => c.verdict !== "not_enough_data");
  const missing = comparisons.length - withData.length;
  if (comparisons.length === 0 || missing * 2 >= comparisons.length) {
    return {
      ok: false, score: null, verdict: "inconclusive",
      reasons: [comparisons.length === 0 ? "no metrics of this service in the windows" : `${missing} of ${comparisons.length} metrics have too few points`],
    };
  }
  const failed = withData.filter((c) => c.verdict === "regressed");
  const reasons = failed.map(describe);
  if (failed.some((c) => c.critical)) {
    return { ok: false, score: 0, verdict: "fail", reasons: [`critical metric failed: ${failed.filter((c) => c.critical).map((c) => c.metric).join(", ")}`, ...reasons] };
  }
  const groups = new Map<string, { passed: number; total: number }>();
  for (const c of withData) {
    const group = groups.get(c.group) ?? { passed: 0, total: 0 };
    group.total += 1;
    if (c.verdict !== "regressed") group.passed += 1;
    groups.set(c.group, group);
  }
  let weighted = 0;
  let weights = 0;
  for (const [name, group] of groups) {
    const weight = settings.groupWeights[name] ?? 0;
    weighted += weight * (group.passed / group.total);
    weights += weight;
  }
  // Only zero-weight groups had data: score by the plain share of passing metrics.
  const share = weights > 0 ? weighted / weights : (withData.length - failed.length) / withData.length;
  const score = Math.round(share * 100);
  const verdict = score >= settings.passScore ? "pass" : score >= settings.marginalScore ? "marginal" : "fail";
  if (missing > 0) reasons.push(`${missing} of ${comparisons.length} metrics have too few points`);
  return { ok: verdict === "pass", score, verdict, reasons };
}
