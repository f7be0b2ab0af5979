/**
 * What the DORA views show: a time range and optional service / team / environment, all in
 * the URL so every view is a shareable link. A preset (`range=30d`) covers whole UTC days up
 * to and including today; `from` / `to` (YYYY-MM-DD, inclusive) pin an exact range.
 */
import { single } from "./filters.ts";

export const RANGE_PRESETS = [
  { key: "7d", days: 7, label: "Last 7 days" },
  { key: "30d", days: 30, label: "Last 30 days" },
  { key: "90d", days: 90, label: "Last 90 days" },
  { key: "180d", days: 180, label: "Last 6 months" },
  { key: "365d", days: 365, label: "Last 12 months" },
] as const;
const DEFAULT_PRESET = "30d";
const DAY = 86_400_000;

export interface Scope {
  range: string;
  from?: string;
  to?: string;
  service?: string;
  team?: string;
  environment?: string;
}

/** The API's query for a scope: an exact [from, to) in UTC plus the filters. */
export interface DoraQuery {
  from: string;
  to: string;
  service?: string;
  team?: string;
  environment?: string;
}

type SearchParams = Record<string, string | string[] | undefined>;

const isDay = (text: string | undefined): text is string => !!text && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text));

export function scopeFrom(params: SearchParams): Scope {
  const range = single(params.range);
  const from = single(params.from);
  const to = single(params.to);
  const pinned = isDay(from) && isDay(to) && Date.parse(from) <= Date.parse(to);
  return {
    range: RANGE_PRESETS.some((preset) => preset.key === range) ? range! : DEFAULT_PRESET,
    ...(pinned ? { from, to } : {}),
    service: single(params.service),
    team: single(params.team),
    environment: single(params.environment),
  };
}

const startOfUtcDay = (time: number) => Math.floor(time / DAY) * DAY;

export function doraQueryOf(scope: Scope, now: Date = new Date()): DoraQuery {
  const filters = { service: scope.service, team: scope.team, environment: scope.environment };
  if (scope.from && scope.to) {
    return { from: new Date(Date.parse(scope.from)).toISOString(), to: new Date(Date.parse(scope.to) + DAY).toISOString(), ...filters };
  }
  const days = RANGE_PRESETS.find((preset) => preset.key === scope.range)!.days;
  const to = startOfUtcDay(now.getTime()) + DAY;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString(), ...filters };
}

/** The scope as a query string, with `changes` applied (an empty string removes a key). */
export function scopeQuery(scope: Scope, changes: Partial<Scope> = {}): string {
  const merged: Scope = { ...scope, ...changes };
  const query = new URLSearchParams();
  for (const key of ["range", "from", "to", "service", "team", "environment"] as const) {
    const value = merged[key];
    if (value && !(key === "range" && value === DEFAULT_PRESET)) query.set(key, value);
  }
  return query.toString();
}

/** "1 Mar – 30 Mar 2026" for the inclusive days a query covers. */
export function describeRange(query: DoraQuery): string {
  const fmt = (time: number, year: boolean) =>
    new Date(time).toLocaleDateString("en-GB", { day: "numeric", month: "short", ...(year ? { year: "numeric" } : {}), timeZone: "UTC" });
  return `${fmt(Date.parse(query.from), false)} – ${fmt(Date.parse(query.to) - DAY, true)}`;
}
