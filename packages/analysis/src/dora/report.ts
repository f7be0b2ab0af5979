import { z } from "zod";
import type { Store } from "@drumbeat/store";
import { Bucket, DoraScope, GroupBy, doraParams, environmentOf, previousRange, rangeDays, resolveRange, type DoraParams, type DoraRange, type DoraSettings } from "./definitions.ts";
import { NO_LEAD_TIMES, NO_OUTCOMES, buildFigures } from "./figures.ts";
import { bucketsOf, checkBucketCount } from "./buckets.ts";
import { readFacts, type Freshness } from "./facts.ts";
import { countDataQuality, countOutcomes, listCommitLeadTimes, listFailedDeployments, measureLeadTimes, type GroupKey } from "./queries.ts";
import type { DoraGroups, DoraLeadTimes, DoraSummary, DoraTimeseries } from "./schemas.ts";
import { NO_BREAKDOWN, breakdownTrend, measureBreakdown } from "./breakdown.ts";
import { THRESHOLDS } from "./thresholds.ts";

export const DoraQuery = DoraScope.extend({ groupBy: GroupBy.optional() });
export type DoraQuery = z.infer<typeof DoraQuery>;
export const DoraTimeseriesQuery = DoraScope.extend({ bucket: Bucket.default("week") });
export type DoraTimeseriesQuery = z.input<typeof DoraTimeseriesQuery>;
export const DoraListQuery = DoraScope.extend({ limit: z.coerce.number().int().min(1).max(1_000).default(100) });
export type DoraListQuery = z.input<typeof DoraListQuery>;
export const DoraLeadTimesQuery = DoraListQuery.extend({ groupBy: GroupBy.optional(), bucket: Bucket.optional() });
export type DoraLeadTimesQuery = z.input<typeof DoraLeadTimesQuery>;

function rangeBody(range: DoraRange, environment: string) {
  return { from: range.from.toISOString(), to: range.to.toISOString(), days: rangeDays(range), environment };
}

/**
 * Runs every query of one answer over one complete build of the facts (readFacts) and
 * says how fresh that build is.
 */
async function answer<T extends object>(
  store: Store, scope: DoraScope, settings: DoraSettings, scanFrom: Date, range: DoraRange, read: (params: DoraParams) => Promise<T>,
): Promise<Freshness & T> {
  const { value, freshness } = await readFacts(store, environmentOf(scope, settings), settings,
    (builds) => read(doraParams(scope, settings, scanFrom, range.from, range.to, builds)));
  return { ...freshness, ...value };
}

/** Both figure queries for one scan, keyed `period|group`. */
async function measure(store: Store, params: DoraParams, key: GroupKey) {
  // One after the other: each query already runs on every core, and racing them measured slower.
  const outcomes = await countOutcomes(store, params, key);
  const leadTimes = await measureLeadTimes(store, params, key);
  const figures = (period: "current" | "previous", group: string, range: DoraRange) =>
    buildFigures(outcomes.get(`${period}|${group}`) ?? NO_OUTCOMES, leadTimes.get(`${period}|${group}`) ?? NO_LEAD_TIMES, range);
  const groups = new Set([...outcomes.keys(), ...leadTimes.keys()].map((k) => k.slice(k.indexOf("|") + 1)));
  return { figures, groups };
}

/** The five figures over the range, with the previous range of equal length. */
export async function doraSummary(store: Store, scope: DoraScope, settings: DoraSettings, now = new Date()): Promise<DoraSummary> {
  const range = resolveRange(scope, now);
  const previous = previousRange(range);
  return answer(store, scope, settings, previous.from, range, async (params) => {
    const { figures } = await measure(store, params, "");
    return {
      range: rangeBody(range, params.environment),
      ...figures("current", "", range),
      thresholds: THRESHOLDS,
      dataQuality: await countDataQuality(store, params),
      previous: { range: rangeBody(previous, params.environment), ...figures("previous", "", previous) },
    };
  });
}

/** One row of figures per service or team with deployments or commits in the range. */
export async function doraGroups(store: Store, scope: DoraScope, groupBy: GroupBy, settings: DoraSettings, now = new Date()): Promise<DoraGroups> {
  const range = resolveRange(scope, now);
  return answer(store, scope, settings, range.from, range, async (params) => {
    const { figures, groups } = await measure(store, params, groupBy);
    return {
      range: rangeBody(range, params.environment),
      thresholds: THRESHOLDS,
      groupBy,
      groups: [...groups].sort().map((key) => ({ key, ...figures("current", key, range) })),
    };
  });
}

/** One point per bucket of the range, buckets without deployments included. */
export async function doraTimeseries(store: Store, scope: DoraScope, bucket: Bucket, settings: DoraSettings, now = new Date()): Promise<DoraTimeseries> {
  const range = resolveRange(scope, now);
  checkBucketCount(range, bucket);
  return answer(store, scope, settings, range.from, range, async (params) => {
    const { figures } = await measure(store, params, bucket);
    return {
      range: rangeBody(range, params.environment),
      thresholds: THRESHOLDS,
      bucket,
      points: bucketsOf(range, bucket).map((span) => ({
        start: span.start.toISOString(),
        end: span.end.toISOString(),
        ...figures("current", span.key, span.covered),
      })),
    };
  });
}

/** Drill-down: the failed deployments behind the change failure rate and recovery time. */
export async function doraFailures(store: Store, query: DoraListQuery, settings: DoraSettings, now = new Date()) {
  const { limit, ...scope } = DoraListQuery.parse(query);
  const range = resolveRange(scope, now);
  return answer(store, scope, settings, range.from, range, async (params) =>
    ({ range: rangeBody(range, params.environment), failures: await listFailedDeployments(store, params, limit) }));
}

/**
 * Drill-down: the commits behind the lead time, slowest first, and the breakdown of the
 * lead time into pull-request stages; per service or team with `groupBy`, per bucket with `bucket`.
 */
export async function doraLeadTimes(store: Store, query: DoraLeadTimesQuery, settings: DoraSettings, now = new Date()): Promise<Freshness & DoraLeadTimes> {
  const { limit, groupBy, bucket, ...scope } = DoraLeadTimesQuery.parse(query);
  const range = resolveRange(scope, now);
  return answer(store, scope, settings, range.from, range, async (params) => {
    const lead: DoraLeadTimes = {
      range: rangeBody(range, params.environment),
      commits: await listCommitLeadTimes(store, params, limit),
      breakdown: (await measureBreakdown(store, params, "")).get("") ?? NO_BREAKDOWN,
    };
    if (groupBy) {
      const groups = await measureBreakdown(store, params, groupBy);
      lead.groups = [...groups.keys()].sort().map((key) => ({ key, ...groups.get(key)! }));
    }
    if (bucket) lead.trend = await breakdownTrend(store, params, range, bucket);
    return lead;
  });
}
