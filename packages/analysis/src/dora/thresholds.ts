/**
 * Performance levels of the 2023 Accelerate State of DevOps report (DORA, Google Cloud),
 * "Software delivery performance" cluster table:
 *
 *   level   deployment frequency              lead time               change failure rate  recovery time
 *   elite   on demand (multiple per day)      less than one day       5%                   less than one hour
 *   high    between once per day and week     between one day / week  10%                  less than one day
 *   medium  between once per week and month   between one week / month 15%                 between one day and one week
 *   low     between once per week and month   between one week / month 64%                 between one month and six months
 *
 * The report describes clusters, not cut-offs; the bounds below are the boundaries
 * between adjacent clusters (and each cluster's change failure rate as its upper bound).
 * Anything worse than medium is low.
 */
export const THRESHOLDS = {
  report: "Accelerate State of DevOps Report 2023 (DORA, Google Cloud)",
  year: 2023,
  url: "https://dora.dev/research/2023/dora-report/",
  deploymentFrequency: { unit: "deployments per day, at least", elite: 1, high: 1 / 7, medium: 1 / 30 },
  leadTime: { unit: "median seconds, less than", elite: 86_400, high: 7 * 86_400, medium: 30 * 86_400 },
  changeFailureRate: { unit: "rate, at most", elite: 0.05, high: 0.1, medium: 0.15 },
  recoveryTime: { unit: "median seconds, less than", elite: 3_600, high: 86_400, medium: 7 * 86_400 },
} as const;

export type Level = "elite" | "high" | "medium" | "low";
type Bounds = { elite: number; high: number; medium: number };

/** Higher is better (deployment frequency). */
function levelAtLeast(value: number, bounds: Bounds): Level {
  if (value >= bounds.elite) return "elite";
  if (value >= bounds.high) return "high";
  if (value >= bounds.medium) return "medium";
  return "low";
}

/** Lower is better; `inclusive` when the bound itself still qualifies (rates). */
function levelAtMost(value: number, bounds: Bounds, inclusive: boolean): Level {
  const within = (bound: number) => (inclusive ? value <= bound : value < bound);
  if (within(bounds.elite)) return "elite";
  if (within(bounds.high)) return "high";
  if (within(bounds.medium)) return "medium";
  return "low";
}

/** Each level is null when its figure is (no sample to classify). */
export const levels = {
  deploymentFrequency: (perDay: number | null, count: number): Level | null =>
    perDay === null || count === 0 ? null : levelAtLeast(perDay, THRESHOLDS.deploymentFrequency),
  leadTime: (medianSeconds: number | null): Level | null =>
    medianSeconds === null ? null : levelAtMost(medianSeconds, THRESHOLDS.leadTime, false),
  changeFailureRate: (rate: number | null): Level | null =>
    rate === null ? null : levelAtMost(rate, THRESHOLDS.changeFailureRate, true),
  recoveryTime: (medianSeconds: number | null): Level | null =>
    medianSeconds === null ? null : levelAtMost(medianSeconds, THRESHOLDS.recoveryTime, false),
};
