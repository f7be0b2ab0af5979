import { z } from "zod";
import { ScopeFilter, dateTimeParam } from "@drumbeat/store";
import type { FlakySettings } from "../usecases/attribution.ts";

/** What a DORA figure is computed over; see docs/dora.md for every rule. */
export interface DoraSettings {
  /** The environment the figures describe unless the caller names another. */
  productionEnvironment: string;
  /** An incident of the same service opening this long after a deployment (and before the next) fails it; 0 disables. */
  incidentWindowHours: number;
  /**
   * How long a request waits for the facts of services that changed to be rebuilt (in
   * the background) before it answers from their previous build; unset waits until built.
   */
  buildWaitMs?: number;
  /** A redeploy of an earlier version rolls back the deployments in between (DRUMBEAT_DETECT_ROLLBACKS). */
  detectRollbacks: boolean;
  /** A deployment whose before/after impact regressed a metric counts as failed (DRUMBEAT_CFR_COUNT_REGRESSIONS; off unless set). */
  countRegressions?: boolean;
  /**
   * When set, a deployment that breaks a use case that is not flaky (judged with these
   * settings) is a change failure, recovered by the deployment that fixes it
   * (DRUMBEAT_CFR_COUNT_USECASE_BREAKS; usecases/changeFailures.ts).
   */
  countUsecaseBreaks?: FlakySettings;
}

export const DEFAULT_DORA_SETTINGS: DoraSettings = { productionEnvironment: "production", incidentWindowHours: 24, detectRollbacks: true };

/** The default range when `from` is not given: the 30 days before `to`. */
export const DEFAULT_RANGE_DAYS = 30;

/** Fewer values than this and the figure is null (reported with its count), never 0 or NaN. */
export const MIN_SAMPLES = { median: 1, p90: 10, rate: 1 } as const;

export const FAILURE_REASONS = [
  "failed_status",
  "rolled_back_status",
  "rolled_back_by",
  "rolled_back_by_redeploy",
  "followed_by_hotfix",
  "incident_caused_by",
  "incident_in_window",
  "metric_regression",
  "usecase_broken",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const QUALITY_ISSUES = ["cause_unknown", "cause_after_opening", "deployment_without_commits", "event_in_future"] as const;

export const RECOVERY_KINDS = ["deployment", "rollback", "incident_resolved", "flag_kill"] as const;
export type RecoveryKind = (typeof RECOVERY_KINDS)[number];

export const Bucket = z.enum(["day", "week", "month"]);
export type Bucket = z.infer<typeof Bucket>;
export const GroupBy = z.enum(["service", "team"]);
export type GroupBy = z.infer<typeof GroupBy>;

/** `environment` names the environment measured; without it, the production environment. */
export const DoraScope = ScopeFilter;
export type DoraScope = z.infer<typeof DoraScope>;

/** A resolved range, [from, to), in UTC. */
export interface DoraRange {
  from: Date;
  to: Date;
}

export class InvalidRangeError extends Error {}

/** The longest range a DORA read covers (ten years); the summary also reads the range before it. */
export const MAX_RANGE_DAYS = 3_660;

export function resolveRange(scope: DoraScope, now = new Date()): DoraRange {
  const to = scope.to ? new Date(scope.to) : now;
  const from = scope.from ? new Date(scope.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * 86_400_000);
  if (from.getTime() >= to.getTime()) throw new InvalidRangeError("`from` must be before `to`");
  const days = rangeDays({ from, to });
  if (days > MAX_RANGE_DAYS) throw new InvalidRangeError(`\`from\` to \`to\` spans ${Math.ceil(days)} days; the limit is ${MAX_RANGE_DAYS} days`);
  return { from, to };
}

/** The range of equal length just before `range`. */
export function previousRange(range: DoraRange): DoraRange {
  const length = range.to.getTime() - range.from.getTime();
  return { from: new Date(range.from.getTime() - length), to: range.from };
}

export function rangeDays(range: DoraRange): number {
  return (range.to.getTime() - range.from.getTime()) / 86_400_000;
}

/**
 * Bump when the rules in sql/outcomes.ts or sql/leadTimes.ts (or what the facts carry for
 * the insights, insights/sql/facts.ts) change: facts built under
 * another definition are not read, so every service is rebuilt under the new rules.
 */
const RULES_VERSION = 4;

export function windowSecondsOf(settings: DoraSettings): number {
  return Math.round(settings.incidentWindowHours * 3_600);
}

/** Names the rules and settings that facts were built under. */
export function definitionOf(settings: DoraSettings): string {
  const usecases = settings.countUsecaseBreaks;
  return `v${RULES_VERSION};window=${windowSecondsOf(settings)}s${settings.detectRollbacks ? "" : ";rollbacks=declared"}`
    + (settings.countRegressions ? ";regressions=counted" : "")
    + (usecases ? `;usecases=${usecases.flakyWindow}x${usecases.maxFlips}` : "");
}

/** The environment a scope measures: the one it names, else the production environment. */
export function environmentOf(scope: DoraScope, settings: DoraSettings): string {
  return scope.environment ?? settings.productionEnvironment;
}

/** The bound parameters every DORA read shares (sql/facts.ts); `builds` as refreshFacts returns them. */
export function doraParams(scope: DoraScope, settings: DoraSettings, scanFrom: Date, from: Date, to: Date, builds: number[]) {
  return {
    builds,
    environment: environmentOf(scope, settings),
    service: scope.service ?? "",
    team: scope.team ?? "",
    scanFrom: dateTimeParam(scanFrom),
    from: dateTimeParam(from),
    to: dateTimeParam(to),
    definition: definitionOf(settings),
  };
}
export type DoraParams = ReturnType<typeof doraParams>;
