import type { RunOutcome } from "./schemas.ts";

/** How flakiness is judged; see docs/usecases.md. */
export interface UsecaseSettings {
  /** How many of a use case's latest runs (deployments that ran it) "recent" means. */
  flakyWindow: number;
  /** More pass/fail flips than this within the window and the use case is flaky. */
  maxFlips: number;
  /** How many of a service's latest deployments the list reads (a deployment's detail: half as many either side). */
  lookbackDeployments: number;
}

export type FlakySettings = Pick<UsecaseSettings, "flakyWindow" | "maxFlips">;

export const DEFAULT_USECASE_SETTINGS: UsecaseSettings = { flakyWindow: 10, maxFlips: 3, lookbackDeployments: 50 };

/**
 * One use case in one deployment. `run` numbers the deployments that ran it, 1 first, so
 * a sequence may leave out runs in the middle of a stretch of equal outcomes (the store
 * sends only the runs at each change) and the walk still gives the same answer.
 */
export interface Run {
  run: number;
  outcome: RunOutcome;
}

export interface WalkedBreak<R extends Run> {
  breaking: R;
  lastPassing: R;
  fixing: R | null;
  flaky: boolean;
}

export interface Walk<R extends Run> {
  breaks: WalkedBreak<R>[];
  /** Flaky over its latest runs. */
  flaky: boolean;
  everPassed: boolean;
  last: R;
}

/** Flaky over the window of runs ending at `end`: a mixed run, or more flips than allowed. */
function flakyUpTo<R extends Run>(runs: readonly R[], end: number, settings: FlakySettings): boolean {
  const start = runs[end]!.run - settings.flakyWindow + 1;
  let flips = 0;
  for (let i = end; i >= 0 && runs[i]!.run >= start; i--) {
    const run = runs[i]!;
    if (run.outcome === "mixed") return true;
    const before = runs[i - 1];
    // Only adjacent runs can flip: a gap in the numbering is a stretch of equal outcomes.
    if (before && before.run >= start && before.run === run.run - 1 && before.outcome !== "mixed" && before.outcome !== run.outcome) flips++;
  }
  return flips > settings.maxFlips;
}

/**
 * Walks one use case's runs in deployment order: a break is a failing run right after a
 * passing one (mixed runs are neither), its fix the next passing run. A use case never
 * seen passing has no break ("failing since first run"). Each break is judged flaky over
 * the window of runs ending at its fix, or at the latest run while it is still broken.
 */
export function walkRuns<R extends Run>(runs: readonly R[], settings: FlakySettings = DEFAULT_USECASE_SETTINGS): Walk<R> | undefined {
  if (runs.length === 0) return undefined;
  const breaks: (WalkedBreak<R> & { fixIndex: number })[] = [];
  let lastPassing: R | undefined;
  let open: (WalkedBreak<R> & { fixIndex: number }) | undefined;
  runs.forEach((run, index) => {
    if (run.outcome === "pass") {
      if (open) {
        open.fixing = run;
        open.fixIndex = index;
        open = undefined;
      }
      lastPassing = run;
    } else if (run.outcome === "fail" && lastPassing && !open) {
      open = { breaking: run, lastPassing, fixing: null, flaky: false, fixIndex: runs.length - 1 };
      breaks.push(open);
    }
  });
  return {
    breaks: breaks.map(({ fixIndex, ...found }) => ({ ...found, flaky: flakyUpTo(runs, fixIndex, settings) })),
    flaky: flakyUpTo(runs, runs.length - 1, settings),
    everPassed: lastPassing !== undefined,
    last: runs.at(-1)!,
  };
}
