import { z } from "zod";
import { DoraScope, GroupBy } from "../dora/definitions.ts";
import { DoraFreshness, DoraRangeBody } from "../dora/schemas.ts";

/** Every insight reads the range of a DORA figure (90 days before `to` when `from` is not given) and the same filters. */
export const InsightsScope = DoraScope;
export type InsightsScope = z.infer<typeof InsightsScope>;

/** An IANA zone name (`Europe/Paris`, `Asia/Kolkata`, `UTC`) that this runtime knows; offsets like `+05:30` are not zones. */
export const TimeZone = z.string().max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, "Expected an IANA time zone name such as Europe/Paris")
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "Unknown time zone: expected an IANA time zone name such as Europe/Paris");

export const BatchInsightsQuery = InsightsScope.extend({ groupBy: GroupBy.optional() });
export type BatchInsightsQuery = z.input<typeof BatchInsightsQuery>;
export const ReleaseWindowQuery = InsightsScope.extend({ timeZone: TimeZone.default("UTC") });
export type ReleaseWindowQuery = z.input<typeof ReleaseWindowQuery>;
export const PromotionQuery = InsightsScope.extend({ limit: z.coerce.number().int().min(0).max(1_000).default(100) });
export type PromotionQuery = z.input<typeof PromotionQuery>;
export const StrategiesQuery = InsightsScope;
export type StrategiesQuery = z.input<typeof StrategiesQuery>;

/** A share with its 95% Wilson interval; rate and interval are null with no deployments. */
export const Proportion = z.object({
  failed: z.number().int(),
  total: z.number().int(),
  rate: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
});
export type Proportion = z.infer<typeof Proportion>;
export const Recovery = z.object({ recoveries: z.number().int(), medianSeconds: z.number().nullable() });

const InsightBase = DoraFreshness.extend({ range: DoraRangeBody });

export const BATCH_BUCKETS = [
  { bucket: "1", min: 1, max: 1 },
  { bucket: "2-3", min: 2, max: 3 },
  { bucket: "4-10", min: 4, max: 10 },
  { bucket: "11-40", min: 11, max: 40 },
  { bucket: ">40", min: 41, max: null },
] as const;

export const BatchBucket = z.object({
  bucket: z.enum(BATCH_BUCKETS.map((b) => b.bucket) as ["1", "2-3", "4-10", "11-40", ">40"]),
  minCommits: z.number().int(),
  maxCommits: z.number().int().nullable(),
  changeFailureRate: Proportion,
  recovery: Recovery,
  /** Median time since the previous deployment of the service: how long the batch had to grow. */
  medianSecondsSincePrevious: z.number().nullable(),
});
export const BatchVerdict = z.object({
  verdict: z.enum(["bigger_fail_more", "bigger_fail_less", "no_clear_difference", "too_little_data"]),
  /** strong: trend p < 0.01 and the intervals of the smallest and largest compared sizes do not overlap; moderate: p < 0.05; weak otherwise. */
  confidence: z.enum(["strong", "moderate", "weak"]).nullable(),
  /** Cochran–Armitage trend test over the buckets, in order. */
  trend: z.object({ z: z.number(), p: z.number() }).nullable(),
  /** The smallest and the largest bucket with enough deployments, as compared. */
  smallest: z.string().nullable(),
  largest: z.string().nullable(),
  intervalsOverlap: z.boolean().nullable(),
  sentence: z.string(),
});
export type BatchVerdict = z.infer<typeof BatchVerdict>;
export const BatchFigures = z.object({
  buckets: z.array(BatchBucket),
  /** Deployments that sent no commits: no batch size, left out of the buckets. */
  withoutCommits: z.number().int(),
  verdict: BatchVerdict,
});
export type BatchFigures = z.infer<typeof BatchFigures>;
export const BatchInsights = InsightBase.extend({
  ...BatchFigures.shape,
  weeks: z.array(z.object({ start: z.string(), deployments: z.number().int(), medianCommits: z.number().nullable() })),
  groupBy: GroupBy.optional(),
  groups: z.array(BatchFigures.extend({ key: z.string() })).optional(),
});
export type BatchInsights = z.infer<typeof BatchInsights>;

export const ReleaseWindow = InsightBase.extend({
  timeZone: z.string(),
  /** 7 × 24 cells, Monday (1) to Sunday (7), hours 0–23 in `timeZone`; empty cells included, with rate null. */
  cells: z.array(z.object({ dayOfWeek: z.number().int(), hour: z.number().int(), changeFailureRate: Proportion })),
  days: z.array(z.object({ dayOfWeek: z.number().int(), changeFailureRate: Proportion })),
  hours: z.array(z.object({ hour: z.number().int(), changeFailureRate: Proportion })),
  /** Friday 12:00–18:00 against every other hour of the week, with the same intervals. */
  fridayAfternoon: z.object({ friday: Proportion, rest: Proportion, sentence: z.string() }),
});
export type ReleaseWindow = z.infer<typeof ReleaseWindow>;

const PathStep = z.object({ environment: z.string(), at: z.string() });
export const Promotion = InsightBase.extend({
  services: z.array(z.object({
    service: z.string(),
    deployments: z.number().int(),
    promotedUnchanged: z.number().int(),
    /** Share promoted unchanged, null with no deployments. */
    promotedShare: z.number().nullable(),
    straightToProduction: z.number().int(),
    rebuilt: z.number().int(),
    medianSecondsToProduction: z.number().nullable(),
  })),
  paths: z.array(z.object({ path: z.array(z.string()), deployments: z.number().int(), medianSecondsToProduction: z.number().nullable() })),
  /** Per earlier environment: how long an artifact stayed there before it reached the next one. */
  stages: z.array(z.object({ environment: z.string(), deployments: z.number().int(), medianSecondsBeforePromotion: z.number().nullable() })),
  /** Production deployments whose artifact never ran earlier, or whose version ran earlier under another artifact; newest first. */
  flagged: z.array(z.object({
    deploymentId: z.string(), service: z.string(), team: z.string(), at: z.string(), version: z.string(), artifact: z.string(),
    path: z.array(PathStep), straightToProduction: z.boolean(), rebuilt: z.boolean(), failed: z.boolean(),
  })),
});
export type Promotion = z.infer<typeof Promotion>;

const StrategyFigures = z.object({
  changeFailureRate: Proportion,
  recovery: Recovery,
  /** Failures recovered by a rollback (declared, detected or by status), and their share of the failures. */
  rollbacks: z.number().int(),
  rollbackShare: z.number().nullable(),
});
export const Strategies = InsightBase.extend({
  /** One row per strategy named by the deployments ('' when none was named). */
  strategies: z.array(StrategyFigures.extend({ strategy: z.string() })),
  /** Deployments whose change a flag released (a flag enabled after them, before the next deployment), and the others. */
  flagReleased: StrategyFigures,
  notFlagReleased: StrategyFigures,
  canary: z.object({
    canaries: z.number().int(),
    /** Each weight reached: how many canaries reached it, how long they baked there (to the next weight or the end), how many aborted there. */
    steps: z.array(z.object({ weight: z.number(), reached: z.number().int(), medianBakeSeconds: z.number().nullable(), abortedHere: z.number().int() })),
    /** The most common step sequences, e.g. [1, 5, 25, 50, 100]. */
    sequences: z.array(z.object({ weights: z.array(z.number()), canaries: z.number().int() })),
    /** Canaries that ended failed or rolled back: where they stopped. */
    aborted: z.object({ count: z.number().int(), stoppedAt: z.array(z.object({ weight: z.number(), canaries: z.number().int() })) }),
    /** Failed canaries: the mean share of traffic they reached (largest weight; 100 when they completed) against 100 for a full rollout. */
    exposure: z.object({ failedCanaries: z.number().int(), meanLargestWeight: z.number().nullable(), fullRollout: z.literal(100) }),
  }),
});
export type Strategies = z.infer<typeof Strategies>;
