import type { Store } from "@drumbeat/store";
import { DEFAULT_USECASE_SETTINGS, walkRuns, type FlakySettings, type Run, type UsecaseSettings, type Walk, type WalkedBreak } from "./attribution.ts";
import {
  ALL_TIME, EPOCH, countUnlinked, hasResults, readRuns, recentDeployments, windowAround, windowOutcomes,
  type RunRow, type Scope, type UsecaseOutcomes, type WindowDeployments,
} from "./queries.ts";
import type { DeploymentRef, DeploymentUsecases, UsecaseBreak, UsecaseMatrix, UsecaseRun, UsecaseState } from "./schemas.ts";
import { findSuspects, type BreakSpan } from "./suspects.ts";

/** A run as the walk and the answers take it: its deployment, outcome and number among the use case's runs. */
type Ran = Run & DeploymentRef;

const refOf = (run: Ran): DeploymentRef => ({ deploymentId: run.deploymentId, version: run.version, kind: run.kind, deployedAt: run.deployedAt });

/** One use case's runs over what was read, in deployment order, with its totals and what its state reports of the last. */
interface UsecaseRuns {
  usecase: string;
  suite: string;
  /** Every run, or only those at a change of outcome and the first and last (RUNS): the walk gives the same answer. */
  runs: Ran[];
  totalRuns: number;
  totalPasses: number;
  totalFails: number;
  lastRun: { at: string; error: string };
}

type Walked = UsecaseRuns & { walk: Walk<Ran> };

const walked = (runs: UsecaseRuns, settings: FlakySettings): Walked => ({ ...runs, walk: walkRuns(runs.runs, settings)! });

/** RUNS rows (sorted by use case, then run) as each use case's runs. */
function runsOfRows(rows: RunRow[]): UsecaseRuns[] {
  const byUsecase = new Map<string, RunRow[]>();
  for (const row of rows) {
    const list = byUsecase.get(row.usecase);
    if (list) list.push(row);
    else byUsecase.set(row.usecase, [row]);
  }
  return [...byUsecase].map(([usecase, runs]) => {
    const last = runs.at(-1)!;
    return {
      usecase, suite: last.suite, runs, totalRuns: last.totalRuns, totalPasses: last.totalPasses, totalFails: last.totalFails,
      lastRun: { at: last.lastAt, error: last.error },
    };
  });
}

/** A window's outcomes as the use case's runs (undefined when it only skipped there). */
function runsOfOutcomes({ usecase, suite, cells, totalPasses, totalFails, lastRun }: UsecaseOutcomes, deployments: DeploymentRef[]): UsecaseRuns | undefined {
  const runs: Ran[] = [];
  cells.forEach((cell, i) => {
    if (cell === null || cell === "skip") return;
    // Spelled out: spreading the deployment into each of 100,000 runs cost 15 times as much.
    const { deploymentId, version, kind, deployedAt } = deployments[i]!;
    runs.push({ deploymentId, version, kind, deployedAt, run: runs.length + 1, outcome: cell });
  });
  if (runs.length === 0) return undefined;
  return { usecase, suite, runs, totalRuns: runs.length, totalPasses, totalFails, lastRun };
}

/** Each use case's runs (as readRuns returns them) walked. */
export function walkEach(rows: RunRow[], settings: FlakySettings): Walked[] {
  return runsOfRows(rows).map((runs) => walked(runs, settings));
}

/**
 * Every use case walked over the window (every run of it, from one pass over its
 * results), and over its whole history (up to the window's end) where `beforeMatters`
 * says the window's first runs cannot be judged alone: a use case failing since the
 * window began may have been broken long before, or never passed.
 */
async function walkWindow(
  store: Store, scope: Scope, window: WindowDeployments, settings: UsecaseSettings, beforeMatters: (found: Walked) => boolean,
): Promise<Walked[]> {
  const outcomes = await windowOutcomes(store, scope, window.deployments, window.until);
  const found = new Map<string, Walked>();
  for (const usecase of outcomes) {
    const runs = runsOfOutcomes(usecase, window.deployments);
    if (runs) found.set(runs.usecase, walked(runs, settings));
  }
  const extend = window.since === EPOCH ? [] : [...found.values()].filter(beforeMatters).map((w) => w.usecase);
  if (extend.length > 0) {
    const whole = await readRuns(store, scope, { usecases: extend, window: { since: EPOCH, until: window.until }, everyLast: 0 });
    for (const runs of walkEach(whole, settings)) found.set(runs.usecase, runs);
  }
  return [...found.values()];
}

const spanOf = (found: WalkedBreak<Ran>): BreakSpan => ({ lastPassing: refOf(found.lastPassing), breaking: refOf(found.breaking) });

/** A walked break as answered: flaky ones carry no suspects and no culprit. */
function describeBreak(found: WalkedBreak<Ran>, suspectsOf: (span: BreakSpan) => UsecaseBreak["suspects"]): UsecaseBreak {
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

const openBreak = (walk: Walk<Ran>) => {
  const latest = walk.breaks.at(-1);
  return latest && latest.fixing === null ? latest : undefined;
};

function stateOf({ usecase, suite, runs, totalRuns, totalPasses, totalFails, lastRun, walk }: Walked, suspectsOf: (span: BreakSpan) => UsecaseBreak["suspects"]): UsecaseState {
  const { last } = walk;
  const open = openBreak(walk);
  const described = open ? describeBreak({ ...open, flaky: open.flaky || walk.flaky }, suspectsOf) : undefined;
  const failingSinceFirstRun = !walk.everPassed && last.outcome !== "pass";
  const results = totalPasses + totalFails;
  return {
    usecase,
    suite,
    status: last.outcome,
    lastRun: { deploymentId: last.deploymentId, ...lastRun },
    runs: totalRuns,
    passRate: results === 0 ? 0 : totalPasses / results,
    flaky: walk.flaky,
    failingSinceFirstRun,
    brokenSince: described?.brokenAt ?? (failingSinceFirstRun ? runs[0]!.deployedAt : null),
    breaking: described?.breaking ?? null,
    suspects: described?.suspects ?? [],
    culprit: described?.culprit ?? null,
  };
}

/** Every use case of a service and environment: where it stands and, when broken, who broke it. Failing first. */
export async function listUsecases(store: Store, scope: Scope, settings: UsecaseSettings = DEFAULT_USECASE_SETTINGS): Promise<UsecaseState[]> {
  const window = await windowAround(store, scope, new Date().toISOString(), settings.lookbackDeployments);
  const found = await walkWindow(store, scope, window, settings, ({ walk }) => !walk.everPassed);
  const spans = found.flatMap(({ walk }) => {
    const open = openBreak(walk);
    return open && !open.flaky && !walk.flaky ? [spanOf(open)] : [];
  });
  const suspectsOf = await findSuspects(store, scope, spans, window);
  const rank = (state: UsecaseState) => (state.status === "pass" ? 1 : 0);
  return found
    .map((usecase) => stateOf(usecase, suspectsOf))
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
  const [found] = walkEach(rows, settings);
  if (!found) return { usecase, state: null, runs: [], breaks: [], unlinkedResults };
  const { breaks } = found.walk;
  const suspectsOf = await findSuspects(store, scope, breaks.filter((b) => !b.flaky).map(spanOf));
  const runs: UsecaseRun[] = rows
    .filter((row) => row.run + limit > row.totalRuns)
    .map(({ usecase: _u, suite: _s, run: _r, totalRuns: _t, totalPasses: _p, totalFails: _f, unlinked: _l, ...run }) => run);
  return {
    usecase,
    state: stateOf(found, suspectsOf),
    runs,
    breaks: breaks.map((b) => describeBreak(b, suspectsOf)),
    unlinkedResults,
  };
}

/** Use cases x the latest `limit` deployments (oldest first), one outcome per cell. */
export async function usecaseMatrix(store: Store, scope: Scope, limit: number): Promise<UsecaseMatrix> {
  const deployments = (await recentDeployments(store, scope, limit)).reverse();
  if (deployments.length === 0) return { deployments: [], usecases: [] };
  const usecases = (await windowOutcomes(store, scope, deployments)).map(({ usecase, suite, cells }) => ({ usecase, suite, cells }));
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
  const found = await walkWindow(store, scope, window, settings, ({ runs }) => {
    const at = runs.findIndex((r) => r.deploymentId === deploymentId);
    return at >= 0 && !runs.slice(0, at).some((r) => r.outcome === "pass");
  });
  const broke = found.flatMap(({ usecase, walk }) => walk.breaks.filter((b) => b.breaking.deploymentId === deploymentId).map((b) => ({ usecase, b })));
  const fixed = found.flatMap(({ usecase, walk }) => walk.breaks.filter((b) => b.fixing?.deploymentId === deploymentId).map((b) => ({ usecase, b })));
  const suspectsOf = await findSuspects(store, scope, [...broke, ...fixed].filter(({ b }) => !b.flaky).map(({ b }) => spanOf(b)), window);
  const describe = ({ usecase, b }: { usecase: string; b: WalkedBreak<Ran> }) => ({ usecase, ...describeBreak(b, suspectsOf) });
  return { broke: broke.map(describe), fixed: fixed.map(describe) };
}
