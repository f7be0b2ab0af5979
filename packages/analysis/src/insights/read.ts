import type { Store } from "@drumbeat/store";
import { doraParams, environmentOf, rangeDays, resolveRange, type DoraParams, type DoraRange, type DoraSettings } from "../dora/definitions.ts";
import { readFacts, type Freshness } from "../dora/facts.ts";
import { wilson } from "./statistics.ts";
import type { InsightsScope, Proportion } from "./schemas.ts";

/** Insights compare groups, which takes more deployments than a DORA figure: the default range is 90 days before `to`. */
export const DEFAULT_INSIGHT_DAYS = 90;

/**
 * Runs every query of one insight over one complete build of the DORA facts, the reading
 * path of the DORA figures (readFacts), and says how fresh that build is.
 */
export async function readInsight<T extends object>(
  store: Store, scope: InsightsScope, settings: DoraSettings, now: Date, read: (params: DoraParams, range: DoraRange) => Promise<T>,
) {
  const to = scope.to ? new Date(scope.to) : now;
  const range = resolveRange({ ...scope, from: scope.from ?? new Date(to.getTime() - DEFAULT_INSIGHT_DAYS * 86_400_000).toISOString() }, now);
  const environment = environmentOf(scope, settings);
  const { value, freshness } = await readFacts(store, environment, settings,
    (builds) => read(doraParams(scope, settings, range.from, range.from, range.to, builds), range));
  const body = { from: range.from.toISOString(), to: range.to.toISOString(), days: rangeDays(range), environment };
  return { ...(freshness satisfies Freshness), range: body, ...value };
}

/** A change failure rate with its 95% Wilson interval. */
export function proportion(failed: number, total: number): Proportion {
  const interval = wilson(failed, total);
  return { failed, total, rate: total > 0 ? failed / total : null, low: interval?.low ?? null, high: interval?.high ?? null };
}

/** A median the engine computed over no values (NaN, sent as null) is null. */
export const orNull = (value: number | null) => (value === null || Number.isNaN(value) ? null : value);
