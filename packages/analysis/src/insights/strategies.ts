import { z } from "zod";
import type { Store } from "@drumbeat/store";
import type { DoraSettings } from "../dora/definitions.ts";
import { orNull, proportion, readInsight } from "./read.ts";
import { StrategiesQuery, type Strategies } from "./schemas.ts";
import { CANARY_REACH, CANARY_SEQUENCES, CANARY_STEPS, STRATEGY_OUTCOMES } from "./sql/strategies.ts";

const Median = z.number().nullable();
const OutcomeRow = z.object({
  cut: z.string(), total: z.number().int(), failed_count: z.number().int(), recoveries: z.number().int(), recovery_median: Median, rollbacks: z.number().int(),
});
type OutcomeRow = z.infer<typeof OutcomeRow>;
const StepRow = z.object({ weight: z.number(), reached: z.number().int(), bake_median: Median, aborted_here: z.number().int() });
const SequenceRow = z.object({ weights: z.array(z.number()), canaries: z.number().int() });
const ReachRow = z.object({ largest: z.number(), canaries: z.number().int(), aborted: z.number().int(), failed_count: z.number().int(), failed_exposure: z.number() });

function figuresOf(row: OutcomeRow | undefined) {
  const failed = row?.failed_count ?? 0;
  return {
    changeFailureRate: proportion(failed, row?.total ?? 0),
    recovery: { recoveries: row?.recoveries ?? 0, medianSeconds: row ? orNull(row.recovery_median) : null },
    rollbacks: row?.rollbacks ?? 0,
    rollbackShare: failed > 0 ? (row?.rollbacks ?? 0) / failed : null,
  };
}

/** Change failure rate, recovery and rollbacks per strategy and for flag-released changes; what canaries did. */
export async function strategiesInsights(store: Store, query: StrategiesQuery, settings: DoraSettings, now = new Date()): Promise<Strategies> {
  const scope = StrategiesQuery.parse(query);
  return readInsight(store, scope, settings, now, async (params) => {
    const outcomes = await store.query({ name: "insights.strategies", sql: STRATEGY_OUTCOMES, params, rows: OutcomeRow });
    const steps = await store.query({ name: "insights.canary.steps", sql: CANARY_STEPS, params, rows: StepRow });
    const sequences = await store.query({ name: "insights.canary.sequences", sql: CANARY_SEQUENCES, params, rows: SequenceRow });
    const reach = await store.query({ name: "insights.canary.reach", sql: CANARY_REACH, params, rows: ReachRow });
    const failedCanaries = reach.reduce((n, r) => n + r.failed_count, 0);
    return {
      strategies: outcomes.filter((o) => o.cut.startsWith("strategy:")).map((o) => ({ strategy: o.cut.slice("strategy:".length), ...figuresOf(o) })),
      flagReleased: figuresOf(outcomes.find((o) => o.cut === "flag:released")),
      notFlagReleased: figuresOf(outcomes.find((o) => o.cut === "flag:not_released")),
      canary: {
        canaries: reach.reduce((n, r) => n + r.canaries, 0),
        steps: steps.map((s) => ({ weight: s.weight, reached: s.reached, medianBakeSeconds: orNull(s.bake_median), abortedHere: s.aborted_here })),
        sequences,
        aborted: {
          count: reach.reduce((n, r) => n + r.aborted, 0),
          stoppedAt: reach.filter((r) => r.aborted > 0).map((r) => ({ weight: r.largest, canaries: r.aborted })),
        },
        exposure: {
          failedCanaries,
          meanLargestWeight: failedCanaries > 0 ? reach.reduce((n, r) => n + r.failed_exposure, 0) / failedCanaries : null,
          fullRollout: 100 as const,
        },
      },
    };
  });
}
