import { z } from "zod";
import { dateTimeParam, type Store } from "@drumbeat/store";
import { DeploymentRef, RunOutcome, SuspectCommit, type UsecaseRun } from "./schemas.ts";
import { MATRIX_CELLS, RECENT_DEPLOYMENTS, RUNS, UNLINKED } from "./sql/runs.ts";
import { DEPLOYED_COMMITS, PUSHED_COMMITS } from "./sql/suspects.ts";

export interface Scope {
  service: string;
  environment: string;
}

const EPOCH = dateTimeParam(new Date(0));
const Count = z.coerce.number().int();

export const RunRow = DeploymentRef.extend({
  usecase: z.string(),
  suite: z.string(),
  outcome: RunOutcome,
  passes: Count,
  fails: Count,
  skips: Count,
  lastAt: z.string(),
  error: z.string(),
  run: Count,
  totalRuns: Count,
  totalPasses: Count,
  totalFails: Count,
});
export type RunRow = z.infer<typeof RunRow> & UsecaseRun;

/** Runs of every use case of the scope (or of one), in deployment order; see RUNS for `everyRun`. */
export function readRuns(store: Store, scope: Scope, options: { usecase?: string; everyRun: boolean }): Promise<RunRow[]> {
  return store.query({
    name: "usecases.runs",
    sql: RUNS,
    params: { ...scope, usecase: options.usecase ?? "", since: EPOCH, everyRun: options.everyRun },
    rows: RunRow,
  });
}

export async function countUnlinked(store: Store, scope: Scope, usecase: string): Promise<number> {
  const [row] = await store.query({
    name: "usecases.unlinked",
    sql: UNLINKED,
    params: { ...scope, usecase, since: EPOCH },
    rows: z.object({ unlinked: Count }),
  });
  return row?.unlinked ?? 0;
}

export function recentDeployments(store: Store, scope: Scope, limit: number) {
  return store.query({ name: "usecases.recentDeployments", sql: RECENT_DEPLOYMENTS, params: { ...scope, limit }, rows: DeploymentRef });
}

/** Results older than a day before the oldest deployment asked about cannot belong to it. */
const MATRIX_MARGIN_MS = 86_400_000;

export function matrixCells(store: Store, scope: Scope, deployments: DeploymentRef[]) {
  const oldest = Math.min(...deployments.map((d) => Date.parse(d.deployedAt)));
  return store.query({
    name: "usecases.matrix",
    sql: MATRIX_CELLS,
    params: { ...scope, usecase: "", since: dateTimeParam(new Date(oldest - MATRIX_MARGIN_MS)), deploymentIds: deployments.map((d) => d.deploymentId) },
    rows: z.object({ usecase: z.string(), suite: z.string(), deploymentId: z.string(), outcome: z.enum(["pass", "fail", "mixed", "skip"]) }),
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

/** Commits from push events between two versions of the service. */
export function pushedCommits(store: Store, scope: Scope, fromVersion: string, toVersion: string) {
  return store.query({ name: "usecases.pushedCommits", sql: PUSHED_COMMITS, params: { ...scope, fromVersion, toVersion }, rows: SuspectCommit });
}
