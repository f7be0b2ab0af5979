import { MIN_SAMPLES, rangeDays, type DoraRange } from "./definitions.ts";
import type { DoraFigures } from "./schemas.ts";
import { levels } from "./thresholds.ts";

/** Per group: what the outcomes query counts (sql/outcomes.ts). */
export interface OutcomeCounts {
  deployments: number;
  rollbacks: number;
  total: number;
  failed: number;
  rework: number;
  recoveries: number;
  unrecovered: number;
  recoveryMedian: number | null;
  recoveryP90: number | null;
}

/** Per group: what the lead-time query measures (sql/leadTimes.ts). */
export interface LeadTimeStats {
  commits: number;
  median: number | null;
  p90: number | null;
}

export const NO_OUTCOMES: OutcomeCounts = {
  deployments: 0, rollbacks: 0, total: 0, failed: 0, rework: 0, recoveries: 0, unrecovered: 0, recoveryMedian: null, recoveryP90: null,
};
export const NO_LEAD_TIMES: LeadTimeStats = { commits: 0, median: null, p90: null };

/** A statistic over `count` values, or null when the sample is too small for it (or the engine gave NaN). */
export function sampled(value: number | null, count: number, minimum: number): number | null {
  return count >= minimum && value !== null && Number.isFinite(value) ? value : null;
}

export function ratio(part: number, whole: number): number | null {
  return whole >= MIN_SAMPLES.rate ? part / whole : null;
}

/** The five figures and their levels, for one group over `range` (days of the range, fractional allowed). */
export function buildFigures(outcomes: OutcomeCounts, leadTimes: LeadTimeStats, range: DoraRange): DoraFigures {
  const days = rangeDays(range);
  const perDay = outcomes.deployments / days;
  const leadMedian = sampled(leadTimes.median, leadTimes.commits, MIN_SAMPLES.median);
  const cfr = ratio(outcomes.failed, outcomes.total);
  const recoveryMedian = sampled(outcomes.recoveryMedian, outcomes.recoveries, MIN_SAMPLES.median);
  return {
    deploymentFrequency: {
      count: outcomes.deployments,
      rollbacks: outcomes.rollbacks,
      perDay,
      perWeek: perDay * 7,
      level: levels.deploymentFrequency(perDay, outcomes.deployments),
    },
    leadTime: {
      commits: leadTimes.commits,
      medianSeconds: leadMedian,
      p90Seconds: sampled(leadTimes.p90, leadTimes.commits, MIN_SAMPLES.p90),
      level: levels.leadTime(leadMedian),
    },
    changeFailureRate: { failed: outcomes.failed, total: outcomes.total, rate: cfr, level: levels.changeFailureRate(cfr) },
    recoveryTime: {
      failures: outcomes.recoveries,
      unrecovered: outcomes.unrecovered,
      medianSeconds: recoveryMedian,
      p90Seconds: sampled(outcomes.recoveryP90, outcomes.recoveries, MIN_SAMPLES.p90),
      level: levels.recoveryTime(recoveryMedian),
    },
    reworkRate: { rework: outcomes.rework, total: outcomes.total, rate: ratio(outcomes.rework, outcomes.total) },
  };
}
