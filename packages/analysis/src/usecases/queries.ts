import { z } from "zod";
import { dateTimeParam, type Store } from "@drumbeat/store";
import { DeploymentRef, SuspectCommit, UsecaseRun, type MatrixCell } from "./schemas.ts";
import { ANY_RESULT, EARLIEST_DEPLOYMENTS, LATEST_DEPLOYMENTS, RUNS, UNLINKED, WINDOW_OUTCOMES } from "./sql/runs.ts";
import { COMMITS_OF_DEPLOYMENTS, DEPLOYED_COMMITS, PUSHED_COMMITS } from "./sql/suspects.ts";

export interface Scope {
  service: string;
  environment: string;
}

export const EPOCH = new Date(0).toISOString();
export const FAR_FUTURE = "2299-12-31T00:00:00.000Z";
/** Every deployment, for reads that want the whole history. */
export const ALL_TIME: Window = { since: EPOCH, until: FAR_FUTURE };

/** The deployments a read covers: those started in [since, until]. */
export interface Window {
  since: string;
  until: string;
}
/** A window with its deployments, oldest first, as read once: reads of it take them as given instead of dating them again. */
export interface WindowDeployments extends Window {
  deployments: DeploymentRef[];
}
const Count = z.number().int();

/** A run as RUNS returns it: which use case, its number in deployment order, the use case's totals and its results not linked yet. */
export const RunRow = UsecaseRun.extend({
  usecase: z.string(),
  suite: z.string(),
  run: Count,
  totalRuns: Count,
  totalPasses: Count,
  totalFails: Count,
  unlinked: Count,
});
export type RunRow = z.infer<typeof RunRow>;

/** Results of a window's deployments are read up to a day after its last one started (tests run soon after a deployment). */
const RESULTS_LAG_MS = 86_400_000;
const windowParams = (window: Window) => ({
  since: dateTimeParam(window.since),
  until: dateTimeParam(window.until),
  resultsUntil: dateTimeParam(new Date(Math.min(Date.parse(window.until) + RESULTS_LAG_MS, Date.parse(FAR_FUTURE))).toISOString()),
});

/** Deployments given to a query (sql/runs.ts, DATED_GIVEN), oldest first, as parallel arrays. */
const givenParams = (deployments: DeploymentRef[]) => ({
  deploymentIds: deployments.map((d) => d.deploymentId),
  versions: deployments.map((d) => d.version),
  kinds: deployments.map((d) => d.kind),
  startedAts: deployments.map((d) => dateTimeParam(d.deployedAt)),
});

/**
 * Runs of the use cases of the scope (all when `usecases` is empty) in the window, in
 * deployment order; see RUNS for `everyLast`. Every use case is read from the results sorted
 * by time, named ones from those sorted by use case (a whole history stays cheap).
 */
export function readRuns(store: Store, scope: Scope, options: { usecases: string[]; window: Window; everyLast: number }): Promise<RunRow[]> {
  return store.query({
    name: "usecases.runs",
    sql: RUNS[options.usecases.length === 0 ? "window" : "usecases"],
    params: { ...scope, usecases: options.usecases, ...windowParams(options.window), everyLast: options.everyLast },
    rows: RunRow,
  });
}

/** Whether the scope has any use-case result at all (most services without post-deployment tests have none). */
export async function hasResults(store: Store, scope: Scope): Promise<boolean> {
  const rows = await store.query({ name: "usecases.any", sql: ANY_RESULT, params: { ...scope }, rows: z.object({ found: z.number() }) });
  return rows.length > 0;
}

export async function countUnlinked(store: Store, scope: Scope, usecase: string): Promise<number> {
  const [row] = await store.query({
    name: "usecases.unlinked",
    sql: UNLINKED,
    params: { ...scope, usecases: [usecase], ...windowParams(ALL_TIME) },
    rows: z.object({ unlinked: Count }),
  });
  return row?.unlinked ?? 0;
}

const DAY_MS = 86_400_000;
/**
 * How far from a date the deployments nearest it are looked for, nearest first: a try reads
 * only the deployments with an event in its range, and one that finds as many as wanted is
 * exact (any deployment started nearer has its first event in the range). The last try
 * reads the whole history.
 */
const REACH_DAYS = [3, 30, 365];
const shifted = (at: string, days: number) => new Date(Math.min(Math.max(Date.parse(at) + days * DAY_MS, 0), Date.parse(FAR_FUTURE))).toISOString();

/**
 * The `limit` deployments nearest `at`: started at or before it, newest first ("before"),
 * or at or after it, oldest first ("after"). Fewer when the history holds fewer.
 */
export async function nearestDeployments(store: Store, scope: Scope, at: string, direction: "before" | "after", limit: number): Promise<DeploymentRef[]> {
  // Looking back from the far future (the latest deployments) starts from now.
  const near = new Date(Math.min(Date.parse(at), Date.now())).toISOString();
  const read = (window: Window) => store.query({
    name: `usecases.deployments${direction === "before" ? "Before" : "After"}`,
    sql: direction === "before" ? LATEST_DEPLOYMENTS : EARLIEST_DEPLOYMENTS,
    params: { ...scope, since: dateTimeParam(window.since), until: dateTimeParam(window.until), limit },
    rows: DeploymentRef,
  });
  const reach = (days: number): Window => (direction === "before" ? { since: shifted(near, -days), until: at } : { since: at, until: shifted(at, days) });
  for (const days of REACH_DAYS) {
    const window = reach(days);
    const found = await read(window);
    if (found.length >= limit) return found;
    // Looking ahead past now, only deployments dated in the future are left: the last try finds those.
    if (direction === "after" && Date.parse(window.until) >= Date.now()) break;
  }
  return read(direction === "before" ? { since: EPOCH, until: at } : { since: at, until: FAR_FUTURE });
}

const inDeploymentOrder = (a: DeploymentRef, b: DeploymentRef) =>
  (a.deployedAt < b.deployedAt ? -1 : a.deployedAt > b.deployedAt ? 1 : a.deploymentId < b.deploymentId ? -1 : a.deploymentId > b.deploymentId ? 1 : 0);

/**
 * The window of the `count` deployments up to the latest started at or before `at`, and of
 * `after` deployments after it (the end of the history when `after` is undefined), with
 * those deployments: reads of the window take them as given instead of dating them again.
 */
export async function windowAround(store: Store, scope: Scope, at: string, count: number, after?: number): Promise<WindowDeployments> {
  const [before, later] = await Promise.all([
    nearestDeployments(store, scope, at, "before", count),
    // The one started at `at` is the first "after": `after` more make after + 1.
    after === undefined ? [] : nearestDeployments(store, scope, at, "after", after + 1),
  ]);
  const deployments = [...new Map([...before, ...later].map((d) => [d.deploymentId, d])).values()].sort(inDeploymentOrder);
  return { since: before[count - 1]?.deployedAt ?? EPOCH, until: (after === undefined ? undefined : later[after])?.deployedAt ?? FAR_FUTURE, deployments };
}

export function recentDeployments(store: Store, scope: Scope, limit: number) {
  return nearestDeployments(store, scope, FAR_FUTURE, "before", limit);
}

/** A use case over a window's deployments, as WINDOW_OUTCOMES returns it. */
const OutcomesRow = z.object({
  usecase: z.string(),
  suite: z.string(),
  keys: z.string().regex(/^\d+(,\d+)*$/),
  lastAt: z.string(),
  lastError: z.string(),
  totalPasses: Count,
  totalFails: Count,
});

/** What one use case did in each deployment of a window. */
export interface UsecaseOutcomes {
  usecase: string;
  suite: string;
  /** One per deployment, oldest first; null where it did not run. */
  cells: MatrixCell[];
  /** Its last run (the latest deployment where it passed or failed): the time of its latest pass or fail there, and the error of its latest failure there. */
  lastRun: { at: string; error: string };
  totalPasses: number;
  totalFails: number;
}

const PASS = 1;
const FAIL = 2;
const SKIP = 4;
/** Status codes of WINDOW_OUTCOMES' keys as bits: 0 pass, 1 fail, 2 skip. */
const STATUS_BITS = [PASS, FAIL, SKIP];

function cellOf(seen: number): MatrixCell {
  if (seen & FAIL) return seen & PASS ? "mixed" : "fail";
  if (seen & PASS) return "pass";
  return seen & SKIP ? "skip" : null;
}

/**
 * Each use case's outcome in each of `deployments` (oldest first), read in one pass over
 * the results from the first one's start up to a day after `until`.
 */
export async function windowOutcomes(store: Store, scope: Scope, deployments: DeploymentRef[], until = FAR_FUTURE): Promise<UsecaseOutcomes[]> {
  if (deployments.length === 0) return [];
  const rows = await store.query({
    name: "usecases.outcomes",
    sql: WINDOW_OUTCOMES,
    params: { ...scope, usecases: [], ...windowParams({ since: deployments[0]!.deployedAt, until }), ...givenParams(deployments) },
    rows: OutcomesRow,
  });
  return rows.map(({ usecase, suite, keys, lastAt, lastError, totalPasses, totalFails }) => {
    const seen = new Array<number>(deployments.length).fill(0);
    // Read digit by digit: splitting and converting 100,000 keys took longer than the query.
    let key = 0;
    for (let i = 0; i <= keys.length; i++) {
      const char = keys.charCodeAt(i);
      if (char >= 48 && char <= 57) {
        key = key * 10 + char - 48;
      } else {
        seen[(key >> 2) - 1]! |= STATUS_BITS[key & 3]!;
        key = 0;
      }
    }
    return { usecase, suite, cells: seen.map(cellOf), lastRun: { at: lastAt, error: lastError }, totalPasses, totalFails };
  });
}

const DeployedCommitRow = z.object({
  deploymentId: z.string(),
  deployedAt: z.string(),
  sha: z.string(),
  author: z.string(),
  message: z.string(),
  authoredAt: z.string(),
});

/** Deployments started in the ranges (after, upto], each with the commits it carried. */
export function deployedCommits(store: Store, scope: Scope, ranges: { after: string; upto: string }[]) {
  return store.query({
    name: "usecases.deployedCommits",
    sql: DEPLOYED_COMMITS,
    params: { ...scope, afters: ranges.map((r) => dateTimeParam(r.after)), uptos: ranges.map((r) => dateTimeParam(r.upto)) },
    rows: DeployedCommitRow,
  });
}

/** The commits each of `deployments` carried, as deployedCommits gives them (in the order of `deployments`, then by authored time). */
export async function commitsOf(store: Store, scope: Scope, deployments: DeploymentRef[]): Promise<z.infer<typeof DeployedCommitRow>[]> {
  if (deployments.length === 0) return [];
  const rows = await store.query({
    name: "usecases.commitsOf",
    sql: COMMITS_OF_DEPLOYMENTS,
    params: { ...scope, deploymentIds: deployments.map((d) => d.deploymentId) },
    rows: DeployedCommitRow.omit({ deployedAt: true }),
  });
  const order = new Map(deployments.map((d, i) => [d.deploymentId, i]));
  return rows
    .map((row) => ({ ...row, deployedAt: deployments[order.get(row.deploymentId)!]!.deployedAt }))
    .sort((a, b) => order.get(a.deploymentId)! - order.get(b.deploymentId)!);
}

/** Commits from push events between each pair of versions of the service, by pair (its index in `pairs`). */
export async function pushedCommits(store: Store, scope: Scope, pairs: { fromVersion: string; toVersion: string }[]): Promise<SuspectCommit[][]> {
  const byPair: SuspectCommit[][] = pairs.map(() => []);
  if (pairs.length === 0) return byPair;
  const rows = await store.query({
    name: "usecases.pushedCommits",
    sql: PUSHED_COMMITS,
    params: { ...scope, fromVersions: pairs.map((p) => p.fromVersion), toVersions: pairs.map((p) => p.toVersion) },
    rows: SuspectCommit.extend({ span: z.number().int() }),
  });
  for (const { span, ...commit } of rows) byPair[span - 1]!.push(commit);
  return byPair;
}
