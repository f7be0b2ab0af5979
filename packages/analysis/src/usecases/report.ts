import type { Store } from "@drumbeat/store";
import { DEFAULT_USECASE_SETTINGS, walkRuns, type FlakySettings, type UsecaseSettings, type Walk, type WalkedBreak } from "./attribution.ts";
import {
  ALL_TIME, EPOCH, countUnlinked, hasResults, matrixCells, readRuns, recentDeployments, windowAround, type RunRow, type Scope, type Window,
} from "./queries.ts";
import type { DeploymentRef, DeploymentUsecases, UsecaseBreak, UsecaseMatrix, UsecaseRun, UsecaseState } from "./schemas.ts";
import { findSuspects, type BreakSpan } from "./suspects.ts";

const refOf = (run: RunRow): DeploymentRef => ({ deploymentId: run.deploymentId, version: run.version, kind: run.kind, deployedAt: run.deployedAt });

type Walked = { usecase: string; rows: RunRow[]; walk: Walk<RunRow> };

/** Each use case's runs (as readRuns returns them, grouped by use case) walked. */
export function walkEach(rows: RunRow[], settings: FlakySettings): Map<string, Walked> {
  const byUsecase = new Map<string, RunRow[]>();
  for (const row of rows) {
    const list = byUsecase.get(row.usecase);
    if (list) list.push(row);
    else byUsecase.set(row.usecase, [row]);
  }
  return new Map([...byUsecase].map(([usecase, list]) => [usecase, { usecase, rows: list, walk: walkRuns(list, settings)! }]));
}

/**
 * Every use case walked over the window, and over its whole history (up to the window's
 * end) where `beforeMatters` says the window's first runs cannot be judged alone: a use
 * case failing since the window began may have been broken long before, or never passed.
 */
async function walkWindow(
  store: Store, scope: Scope, window: Window, settings: UsecaseSettings, beforeMatters: (found: Walked) => boolean,
): Promise<Walked[]> {
  const walked = walkEach(await readRuns(store, scope, { usecases: [], window, everyLast: 0 }), settings);
  const extend = window.since === EPOCH ? [] : [...walked.values()].filter(beforeMatters).map((w) => w.usecase);
  if (extend.length > 0) {
    const whole = await readRuns(store, scope, { usecases: extend, window: { since: EPOCH, until: window.until }, everyLast: 0 });
    for (const [usecase, found] of walkEach(whole, settings)) walked.set(usecase, found);
  }
  return [...walked.values()];
}

const spanOf = (found: WalkedBreak<RunRow>): BreakSpan => ({ lastPassing: refOf(found.lastPassing), breaking: refOf(found.breaking) });

/** A walked break as answered: flaky ones carry no suspects and no culprit. */
function describeBreak(found: WalkedBreak<RunRow>, suspectsOf: (span: BreakSpan) => UsecaseBreak["suspects"]): UsecaseBreak {
  const brokenAt = found.breaking.deployedAt;
  const fixedAt = found.fixing?.deployedAt ?? null;
  const suspects = found.flaky ? [] : suspectsOf(spanOf(found));
  return {
    breaking: refOf(found.breaking),
    lastPassing: refOf(found.lastPassing),
    fixing: found.fixing ? refOf(found.fixing) : null,
    brokenAt,
    fixedAt,
    brokenSeconds: fixedAt === null ? null : Math.round((Date.parse(fixedAt) - Date.parse(brokenAt)) / 1000),
    flaky: found.flaky,
    suspects,
    culprit: suspects.length === 1 ? suspects[0]! : null,
  };
}

const openBreak = (walk: Walk<RunRow>) => {
  const latest = walk.breaks.at(-1);
  return latest && latest.fixing === null ? latest : undefined;
};

function stateOf(usecase: string, rows: RunRow[], walk: Walk<RunRow>, suspectsOf: (span: BreakSpan) => UsecaseBreak["suspects"]): UsecaseState {
  const { last } = walk;
  const open = openBreak(walk);
  const described = open ? describeBreak({ ...open, flaky: open.flaky || walk.flaky }, suspectsOf) : undefined;
  const failingSinceFirstRun = !walk.everPassed && last.outcome !== "pass";
  const results = last.totalPasses + last.totalFails;
  return {
    usecase,
    suite: last.suite,
    status: last.outcome,
    lastRun: { deploymentId: last.deploymentId, at: last.lastAt, error: last.error },
    runs: last.totalRuns,
    passRate: results === 0 ? 0 : last.totalPasses / results,
    flaky: walk.flaky,
    failingSinceFirstRun,
    brokenSince: described?.brokenAt ?? (failingSinceFirstRun ? rows[0]!.deployedAt : null),
    breaking: described?.breaking ?? null,
    suspects: described?.suspects ?? [],
    culprit: described?.culprit ?? null,
  };
}

/** Every use case of a service and environment: where it stands and, when broken, who broke it. Failing first. */
export async function listUsecases(store: Store, scope: Scope, settings: UsecaseSettings = DEFAULT_USECASE_SETTINGS): Promise<UsecaseState[]> {
  const window = await windowAround(store, scope, new Date().toISOString(), settings.lookbackDeployments);
  const walked = await walkWindow(store, scope, window, settings, ({ walk }) => !walk.everPassed);
  const spans = walked.flatMap(({ walk }) => {
    const open = openBreak(walk);
    return open && !open.flaky && !walk.flaky ? [spanOf(open)] : [];
  });
  const suspectsOf = await findSuspects(store, scope, spans);
  const rank = (state: UsecaseState) => (state.status === "pass" ? 1 : 0);
  return walked
    .map(({ usecase, rows, walk }) => stateOf(usecase, rows, walk, suspectsOf))
    .sort((a, b) => rank(a) - rank(b) || (a.usecase < b.usecase ? -1 : a.usecase > b.usecase ? 1 : 0));
}

/**
 * One use case: its latest `limit` runs, every break of its whole history with its suspects,
 * and results still waiting for their deployment.
 */
export async function usecaseHistory(store: Store, scope: Scope, usecase: string, limit: number, settings: UsecaseSettings = DEFAULT_USECASE_SETTINGS) {
  // The changes of outcome walk the whole history (as the list does); only the latest runs are every one.
  const rows = await readRuns(store, scope, { usecases: [usecase], window: ALL_TIME, everyLast: limit });
  const unlinkedResults = rows[0]?.unlinked ?? await countUnlinked(store, scope, usecase);
  const walk = walkRuns(rows, settings);
  if (!walk) return { usecase, state: null, runs: [], breaks: [], unlinkedResults };
  const suspectsOf = await findSuspects(store, scope, walk.breaks.filter((b) => !b.flaky).map(spanOf));
  const runs: UsecaseRun[] = rows
    .filter((row) => row.run + limit > row.totalRuns)
    .map(({ usecase: _u, suite: _s, run: _r, totalRuns: _t, totalPasses: _p, totalFails: _f, unlinked: _l, ...run }) => run);
  return {
    usecase,
    state: stateOf(usecase, rows, walk, suspectsOf),
    runs,
    breaks: walk.breaks.map((found) => describeBreak(found, suspectsOf)),
    unlinkedResults,
  };
}

/** Use cases x the latest `limit` deployments (oldest first), one outcome per cell. */
export async function usecaseMatrix(store: Store, scope: Scope, limit: number): Promise<UsecaseMatrix> {
  const deployments = (await recentDeployments(store, scope, limit)).reverse();
  if (deployments.length === 0) return { deployments: [], usecases: [] };
  const usecases = await matrixCells(store, scope, deployments);
  return { deployments, usecases: usecases.sort((a, b) => (a.usecase < b.usecase ? -1 : a.usecase > b.usecase ? 1 : 0)) };
}

/**
 * The use cases a deployment broke and fixed (flaky breaks included, marked and unblamed),
 * read over half of `lookbackDeployments` deployments either side of it.
 */
export async function deploymentUsecases(
  store: Store, scope: Scope, deployment: { deploymentId: string; startedAt: string }, settings: UsecaseSettings = DEFAULT_USECASE_SETTINGS,
): Promise<DeploymentUsecases> {
  const { deploymentId } = deployment;
  if (!(await hasResults(store, scope))) return { broke: [], fixed: [] };
  const side = Math.ceil(settings.lookbackDeployments / 2);
  const window = await windowAround(store, scope, deployment.startedAt, side + 1, side);
  // It may end a break begun before the window when no run before it in the window passed.
  const walked = await walkWindow(store, scope, window, settings, ({ rows }) => {
    const at = rows.findIndex((r) => r.deploymentId === deploymentId);
    return at >= 0 && !rows.slice(0, at).some((r) => r.outcome === "pass");
  });
  const broke = walked.flatMap(({ usecase, walk }) => walk.breaks.filter((b) => b.breaking.deploymentId === deploymentId).map((b) => ({ usecase, b })));
  const fixed = walked.flatMap(({ usecase, walk }) => walk.breaks.filter((b) => b.fixing?.deploymentId === deploymentId).map((b) => ({ usecase, b })));
  const suspectsOf = await findSuspects(store, scope, [...broke, ...fixed].filter(({ b }) => !b.flaky).map(({ b }) => spanOf(b)));
  const describe = ({ usecase, b }: { usecase: string; b: WalkedBreak<RunRow> }) => ({ usecase, ...describeBreak(b, suspectsOf) });
  return { broke: broke.map(describe), fixed: fixed.map(describe) };
}
