import { z } from "zod";
import type { Store } from "@drumbeat/store";
import { bucketsOf, checkBucketCount } from "../dora/buckets.ts";
import type { DoraSettings } from "../dora/definitions.ts";
import { orNull, proportion, readInsight } from "./read.ts";
import { BATCH_BUCKETS, BatchInsightsQuery, type BatchFigures, type BatchInsights, type BatchVerdict } from "./schemas.ts";
import { batchBucketsSql, WEEKLY_BATCH } from "./sql/batch.ts";
import { trendTest } from "./statistics.ts";

/** A bucket takes part in the comparison of the smallest and largest batches with at least this many deployments. */
export const MIN_BUCKET_DEPLOYMENTS = 5;

const BucketRow = z.object({
  key: z.string(), bucket: z.number().int(), total: z.number().int(), failed_count: z.number().int(), recoveries: z.number().int(),
  recovery_median: z.number().nullable(), since_previous_median: z.number().nullable(),
});
type BucketRow = z.infer<typeof BucketRow>;
const WeekRow = z.object({ key: z.string(), deployments: z.number().int(), median: z.number().nullable() });

const percent = (rate: number | null) => `${Math.round((rate ?? 0) * 100)}%`;
const commitsOf = (bucket: string) => (bucket === "1" ? "single-commit deployments" : bucket === ">40" ? "deployments of more than 40 commits" : `deployments of ${bucket.replace("-", "–")} commits`);

/**
 * Whether bigger batches fail more often, in words (docs/insights.md, "Batch size against
 * failure"): the Cochran–Armitage trend test over the five buckets says whether and how
 * surely; the smallest and largest buckets with at least MIN_BUCKET_DEPLOYMENTS each are
 * named with their rates and intervals.
 */
export function batchVerdict(buckets: BatchFigures["buckets"]): BatchVerdict {
  const compared = buckets.filter((b) => b.changeFailureRate.total >= MIN_BUCKET_DEPLOYMENTS);
  const trend = trendTest(buckets.map((b) => b.changeFailureRate));
  const small = compared[0], large = compared.at(-1);
  if (!small || !large || small === large || !trend) {
    const total = buckets.reduce((sum, b) => sum + b.changeFailureRate.total, 0);
    const failed = buckets.reduce((sum, b) => sum + b.changeFailureRate.failed, 0);
    const why = total > 0 && (failed === 0 || failed === total) && compared.length >= 2
      ? `all ${total} deployments with known commits ${failed === 0 ? "succeeded" : "failed"}, so batch size makes no difference to see`
      : `${total} deployments with known commits; comparing takes at least two batch sizes with ${MIN_BUCKET_DEPLOYMENTS} deployments each`;
    return { verdict: "too_little_data", confidence: null, trend, smallest: small?.bucket ?? null, largest: large?.bucket ?? null, intervalsOverlap: null, sentence: `Too little data to tell: ${why}.` };
  }
  const s = small.changeFailureRate, l = large.changeFailureRate;
  const overlap = !(l.low! > s.high! || s.low! > l.high!);
  const significant = trend.p < 0.05;
  const verdict = !significant ? "no_clear_difference" : trend.z > 0 ? "bigger_fail_more" : "bigger_fail_less";
  const confidence = trend.p < 0.01 && !overlap ? "strong" : significant ? "moderate" : "weak";
  const rates = `${percent(l.rate)} (95% interval ${percent(l.low)}–${percent(l.high)}) of ${l.total} ${commitsOf(large.bucket)} failed, against ` +
    `${percent(s.rate)} (${percent(s.low)}–${percent(s.high)}) of ${s.total} ${commitsOf(small.bucket)}`;
  const p = trend.p < 0.001 ? "p < 0.001" : `p = ${trend.p.toFixed(3)}`;
  const how = `${overlap ? "the two intervals overlap" : "the two intervals do not overlap"}; trend across batch sizes ${p}`;
  const lead = {
    bigger_fail_more: confidence === "strong" ? "Here, bigger batches clearly fail more often" : "Here, bigger batches fail more often, fairly surely",
    bigger_fail_less: confidence === "strong" ? "Here, bigger batches clearly fail less often" : "Here, bigger batches fail less often, fairly surely",
    no_clear_difference: "Here, the data does not show bigger batches failing more or less often",
  }[verdict];
  return { verdict, confidence, trend, smallest: small.bucket, largest: large.bucket, intervalsOverlap: overlap, sentence: `${lead}: ${rates} (${how}).` };
}

function figuresOf(rows: BucketRow[]): BatchFigures {
  const buckets = BATCH_BUCKETS.map((b, index) => {
    const row = rows.find((r) => r.bucket === index);
    return {
      bucket: b.bucket, minCommits: b.min, maxCommits: b.max,
      changeFailureRate: proportion(row?.failed_count ?? 0, row?.total ?? 0),
      recovery: { recoveries: row?.recoveries ?? 0, medianSeconds: row ? orNull(row.recovery_median) : null },
      medianSecondsSincePrevious: row ? orNull(row.since_previous_median) : null,
    };
  });
  return { buckets, withoutCommits: rows.find((r) => r.bucket === -1)?.total ?? 0, verdict: batchVerdict(buckets) };
}

/** Change failure rate and recovery by batch size, overall and per service or team, and the weekly median batch. */
export async function batchInsights(store: Store, query: BatchInsightsQuery, settings: DoraSettings, now = new Date()): Promise<BatchInsights> {
  const { groupBy, ...scope } = BatchInsightsQuery.parse(query);
  return readInsight(store, scope, settings, now, async (params, range) => {
    checkBucketCount(range, "week");
    const read = (key: "" | "service" | "team") => store.query({ name: `insights.batch${key ? `.${key}` : ""}`, sql: batchBucketsSql(key), params, rows: BucketRow });
    const overall = figuresOf(await read(""));
    const weeks = await store.query({ name: "insights.batch.weeks", sql: WEEKLY_BATCH, params, rows: WeekRow });
    const answer: Omit<BatchInsights, "asOf" | "upToDate" | "range"> = {
      ...overall,
      weeks: bucketsOf(range, "week").map((span) => {
        const week = weeks.find((w) => w.key === span.key);
        return { start: span.start.toISOString(), deployments: week?.deployments ?? 0, medianCommits: week ? orNull(week.median) : null };
      }),
    };
    if (groupBy) {
      const rows = await read(groupBy);
      const keys = [...new Set(rows.map((r) => r.key))].sort();
      Object.assign(answer, { groupBy, groups: keys.map((key) => ({ key, ...figuresOf(rows.filter((r) => r.key === key)) })) });
    }
    return answer;
  });
}
