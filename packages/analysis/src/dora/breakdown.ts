import { z } from "zod";
import type { Store } from "@drumbeat/store";
import type { DoraParams } from "./definitions.ts";
import { MIN_SAMPLES, type DoraRange } from "./definitions.ts";
import { sampled } from "./figures.ts";
import { bucketsOf } from "./buckets.ts";
import { FACTS_IN_SCOPE, KEY_EXPRESSIONS, type GroupKey } from "./sql/facts.ts";
import type { Bucket } from "./definitions.ts";
import type { LeadTimeBreakdown, StageStats } from "./schemas.ts";

/**
 * The lead-time breakdown (docs/dora.md): per group, merged pull requests first deployed
 * in the range with the median and p90 of each stage, and the commits shipped without a
 * pull request with their commit-based lead time. Reads the facts (sql/pullRequests.ts).
 */

const Count = z.number().int();
const Stat = z.number().nullable();
const MedianP90 = z.tuple([Stat, Stat]);
const STAGES = ["coding", "pickup", "review", "deploy"] as const;

const StageRow = z.object({
  key: z.string(), pullRequests: Count, codingCount: Count, reviewCount: Count,
  coding: MedianP90, pickup: MedianP90, review: MedianP90, deploy: MedianP90,
});
const DirectRow = z.object({ key: z.string(), commits: Count, lead: MedianP90 });

function stage(count: number, [median, p90]: z.infer<typeof MedianP90>): StageStats {
  return { count, medianSeconds: sampled(median, count, MIN_SAMPLES.median), p90Seconds: sampled(p90, count, MIN_SAMPLES.p90) };
}

const EMPTY_STAGE: StageStats = { count: 0, medianSeconds: null, p90Seconds: null };
export const NO_BREAKDOWN: LeadTimeBreakdown = {
  pullRequests: 0,
  stages: Object.fromEntries(STAGES.map((name) => [name, EMPTY_STAGE])) as LeadTimeBreakdown["stages"],
  withoutPullRequest: EMPTY_STAGE,
};

/** The breakdown per group key (`''` for one group), over facts dated in [from, to). */
export async function measureBreakdown(store: Store, params: DoraParams, key: GroupKey): Promise<Map<string, LeadTimeBreakdown>> {
  const group = `${KEY_EXPRESSIONS[key]} AS group_key`;
  const stages = await store.query({
    name: "dora.leadTimeStages",
    sql: `
      SELECT toString(group_key) AS key, count() AS pullRequests,
        countIf(has_coding) AS codingCount, countIf(has_review) AS reviewCount,
        quantilesExactInclusiveIf(0.5, 0.9)(coding_seconds, has_coding) AS coding,
        quantilesExactInclusiveIf(0.5, 0.9)(pickup_seconds, has_review) AS pickup,
        quantilesExactInclusiveIf(0.5, 0.9)(review_seconds, has_review) AS review,
        quantilesExactInclusive(0.5, 0.9)(deploy_seconds) AS deploy
      FROM dora_pull_request_facts
      WHERE ${FACTS_IN_SCOPE}
      GROUP BY ${group}`,
    params,
    rows: StageRow,
  });
  const direct = await store.query({
    name: "dora.leadTimeWithoutPullRequest",
    sql: `
      SELECT toString(group_key) AS key, count() AS commits, quantilesExactInclusive(0.5, 0.9)(lead_seconds) AS lead
      FROM dora_commit_facts
      WHERE ${FACTS_IN_SCOPE} AND NOT in_pull_request
      GROUP BY ${group}`,
    params,
    rows: DirectRow,
  });
  const breakdowns = new Map<string, LeadTimeBreakdown>();
  for (const row of stages) {
    breakdowns.set(row.key, {
      ...NO_BREAKDOWN,
      pullRequests: row.pullRequests,
      stages: {
        coding: stage(row.codingCount, row.coding),
        pickup: stage(row.reviewCount, row.pickup),
        review: stage(row.reviewCount, row.review),
        deploy: stage(row.pullRequests, row.deploy),
      },
    });
  }
  for (const row of direct) {
    breakdowns.set(row.key, { ...(breakdowns.get(row.key) ?? NO_BREAKDOWN), withoutPullRequest: stage(row.commits, row.lead) });
  }
  return breakdowns;
}

/** One point per bucket of the range, empty buckets included. */
export async function breakdownTrend(store: Store, params: DoraParams, range: DoraRange, bucket: Bucket) {
  const byBucket = await measureBreakdown(store, params, bucket);
  return bucketsOf(range, bucket).map((span) => ({
    start: span.start.toISOString(),
    end: span.end.toISOString(),
    ...(byBucket.get(span.key) ?? NO_BREAKDOWN),
  }));
}
