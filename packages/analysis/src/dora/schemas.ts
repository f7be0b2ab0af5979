import { z } from "zod";
import { FAILURE_REASONS, QUALITY_ISSUES, RECOVERY_KINDS } from "./definitions.ts";

const LevelOrNull = z.enum(["elite", "high", "medium", "low"]).nullable();
/** A figure of an empty or too-small sample is null; its count says why. */
const Measure = z.number().nullable();

export const DeploymentFrequency = z.object({
  count: z.number().int(),
  rollbacks: z.number().int(),
  perDay: z.number(),
  perWeek: z.number(),
  level: LevelOrNull,
});
export const LeadTime = z.object({ commits: z.number().int(), medianSeconds: Measure, p90Seconds: Measure, level: LevelOrNull });
export const ChangeFailureRate = z.object({ failed: z.number().int(), total: z.number().int(), rate: Measure, level: LevelOrNull });
export const RecoveryTime = z.object({
  failures: z.number().int(),
  unrecovered: z.number().int(),
  medianSeconds: Measure,
  p90Seconds: Measure,
  level: LevelOrNull,
});
export const ReworkRate = z.object({ rework: z.number().int(), total: z.number().int(), rate: Measure });

export const DoraFigures = z.object({
  deploymentFrequency: DeploymentFrequency,
  leadTime: LeadTime,
  changeFailureRate: ChangeFailureRate,
  recoveryTime: RecoveryTime,
  reworkRate: ReworkRate,
});
export type DoraFigures = z.infer<typeof DoraFigures>;

export const DoraRangeBody = z.object({
  from: z.string(),
  to: z.string(),
  days: z.number(),
  environment: z.string(),
});

const ThresholdBounds = z.object({ unit: z.string(), elite: z.number(), high: z.number(), medium: z.number() });
export const DoraThresholds = z.object({
  report: z.string(),
  year: z.number(),
  url: z.string(),
  deploymentFrequency: ThresholdBounds,
  leadTime: ThresholdBounds,
  changeFailureRate: ThresholdBounds,
  recoveryTime: ThresholdBounds,
});

/**
 * How fresh an answer is: it holds every event stored before `asOf` (null while a service
 * in it has no facts yet); `upToDate` is false while changed services are rebuilt in the
 * background and the answer reads their previous build.
 */
export const DoraFreshness = z.object({ asOf: z.string().nullable(), upToDate: z.boolean() });
/** What the figures of the range leave out, and why (docs/dora.md, "Evidence and data quality"). */
export const DoraDataQuality = z.object({
  /** Incidents whose causedBy names no deployment of the environment: counted by the window rule instead. */
  causeUnknown: z.number().int(),
  /** Incidents whose causedBy names a deployment that started after they opened: counted by the window rule instead. */
  causeAfterOpening: z.number().int(),
  /** Successful deployments that carried no known commit: no lead time. */
  deploymentsWithoutCommits: z.number().int(),
  /** Deployments and incidents dated after now, in any range: counted by no range that ends now. */
  eventsInFuture: z.number().int(),
});
export type DoraDataQuality = z.infer<typeof DoraDataQuality>;
export const QUALITY_FIELDS = {
  cause_unknown: "causeUnknown",
  cause_after_opening: "causeAfterOpening",
  deployment_without_commits: "deploymentsWithoutCommits",
  event_in_future: "eventsInFuture",
} as const satisfies Record<(typeof QUALITY_ISSUES)[number], keyof DoraDataQuality>;

export const DoraSummary = DoraFigures.extend({
  ...DoraFreshness.shape,
  range: DoraRangeBody,
  thresholds: DoraThresholds,
  dataQuality: DoraDataQuality,
  previous: DoraFigures.extend({ range: DoraRangeBody }),
});
export type DoraSummary = z.infer<typeof DoraSummary>;

export const DoraGroups = z.object({
  ...DoraFreshness.shape,
  range: DoraRangeBody,
  thresholds: DoraThresholds,
  groupBy: z.enum(["service", "team"]),
  groups: z.array(DoraFigures.extend({ key: z.string() })),
});
export type DoraGroups = z.infer<typeof DoraGroups>;

export const DoraTimeseries = z.object({
  ...DoraFreshness.shape,
  range: DoraRangeBody,
  thresholds: DoraThresholds,
  bucket: z.enum(["day", "week", "month"]),
  points: z.array(DoraFigures.extend({ start: z.string(), end: z.string() })),
});
export type DoraTimeseries = z.infer<typeof DoraTimeseries>;

export const FailedDeployment = z.object({
  deploymentId: z.string(),
  service: z.string(),
  team: z.string(),
  kind: z.string(),
  status: z.string(),
  deployedAt: z.string(),
  reasons: z.array(z.enum(FAILURE_REASONS)),
  /** What each reason rests on: the incident, the rollback or hotfix deployment, the deployment's own status, or the use case it broke. */
  evidence: z.array(z.object({
    reason: z.enum(FAILURE_REASONS),
    kind: z.enum(["deployment", "incident", "metric", "usecase"]),
    id: z.string(),
    title: z.string(),
    url: z.string(),
  })),
  failedAt: z.string(),
  recoveredAt: z.string().nullable(),
  recoveredBy: z.enum(RECOVERY_KINDS).nullable(),
  recoverySeconds: z.number().nullable(),
});
export type FailedDeployment = z.infer<typeof FailedDeployment>;

export const CommitLeadTime = z.object({
  service: z.string(),
  sha: z.string(),
  team: z.string(),
  deploymentId: z.string(),
  authoredAt: z.string(),
  deployedAt: z.string(),
  leadSeconds: z.number(),
});
export type CommitLeadTime = z.infer<typeof CommitLeadTime>;

/** One stage of the lead time (or the commits without a pull request): sample size, median and p90 in seconds. */
export const StageStats = z.object({ count: z.number().int(), medianSeconds: Measure, p90Seconds: Measure });
export type StageStats = z.infer<typeof StageStats>;

/** Merged pull requests first deployed in the range, their stages, and the commits shipped without one. */
export const LeadTimeBreakdown = z.object({
  pullRequests: z.number().int(),
  stages: z.object({ coding: StageStats, pickup: StageStats, review: StageStats, deploy: StageStats }),
  withoutPullRequest: StageStats,
});
export type LeadTimeBreakdown = z.infer<typeof LeadTimeBreakdown>;

export const DoraLeadTimes = z.object({
  range: DoraRangeBody,
  commits: z.array(CommitLeadTime),
  breakdown: LeadTimeBreakdown,
  /** With `groupBy`: one row per service or team. */
  groups: z.array(LeadTimeBreakdown.extend({ key: z.string() })).optional(),
  /** With `bucket`: one point per day, week (from Monday, UTC) or month, empty ones included. */
  trend: z.array(LeadTimeBreakdown.extend({ start: z.string(), end: z.string() })).optional(),
});
export type DoraLeadTimes = z.infer<typeof DoraLeadTimes>;
