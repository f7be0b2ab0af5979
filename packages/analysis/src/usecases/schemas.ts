import { z } from "zod";

/** A deployment as use-case answers name it; `deployedAt` is when it started (its first event). */
export const DeploymentRef = z.object({
  deploymentId: z.string(),
  version: z.string(),
  kind: z.string(),
  deployedAt: z.string(),
});
export type DeploymentRef = z.infer<typeof DeploymentRef>;

export const SuspectCommit = z.object({
  sha: z.string(),
  author: z.string(),
  message: z.string(),
  authoredAt: z.string(),
  deploymentId: z.string().describe("the deployment that carried it, or '' when known only from a push event"),
});
export type SuspectCommit = z.infer<typeof SuspectCommit>;

/** What one use case did in one deployment: `mixed` passed and failed there (flaky by rule). */
export const RunOutcome = z.enum(["pass", "fail", "mixed"]);
export type RunOutcome = z.infer<typeof RunOutcome>;

/** A break: the first failing run after a passing one, until the first passing run again. */
export const UsecaseBreak = z.object({
  breaking: DeploymentRef,
  lastPassing: DeploymentRef.describe("the previous deployment that ran the use case, where it passed"),
  fixing: DeploymentRef.nullable(),
  brokenAt: z.string(),
  fixedAt: z.string().nullable(),
  brokenSeconds: z.number().nullable().describe("fix time - break time, in seconds; null while still broken"),
  flaky: z.boolean().describe("flaky around this break: reported, never blamed on a commit"),
  suspects: z.array(SuspectCommit).describe("commits deployed after lastPassing up to breaking; empty when flaky"),
  culprit: SuspectCommit.nullable().describe("the only suspect, when there is exactly one"),
});
export type UsecaseBreak = z.infer<typeof UsecaseBreak>;

export const UsecaseState = z.object({
  usecase: z.string(),
  suite: z.string(),
  status: RunOutcome.describe("the outcome of its latest run"),
  lastRun: z.object({ deploymentId: z.string(), at: z.string(), error: z.string() }),
  runs: z.number().int().describe("deployments that ran it (skips alone do not count)"),
  passRate: z.number().describe("passed results / passed and failed results, over every run"),
  flaky: z.boolean(),
  failingSinceFirstRun: z.boolean().describe("never seen passing: not blamed on any deployment"),
  brokenSince: z.string().nullable(),
  breaking: DeploymentRef.nullable(),
  suspects: z.array(SuspectCommit),
  culprit: SuspectCommit.nullable(),
});
export type UsecaseState = z.infer<typeof UsecaseState>;

export const UsecaseRun = DeploymentRef.extend({
  outcome: RunOutcome,
  passes: z.number().int(),
  fails: z.number().int(),
  skips: z.number().int(),
  lastAt: z.string(),
  error: z.string(),
});
export type UsecaseRun = z.infer<typeof UsecaseRun>;

export const MatrixCell = z.enum(["pass", "fail", "mixed", "skip"]).nullable();
export type MatrixCell = z.infer<typeof MatrixCell>;
export const UsecaseMatrix = z.object({
  deployments: z.array(DeploymentRef).describe("oldest first"),
  usecases: z.array(z.object({ usecase: z.string(), suite: z.string(), cells: z.array(MatrixCell).describe("one per deployment; null when it did not run") })),
});
export type UsecaseMatrix = z.infer<typeof UsecaseMatrix>;

export const UsecaseHistory = z.object({
  usecase: z.string(),
  state: UsecaseState.nullable(),
  runs: z.array(UsecaseRun).describe("its latest `limit` runs, oldest first (state.runs counts them all)"),
  breaks: z.array(UsecaseBreak),
  unlinkedResults: z.number().int().describe("results whose deployment is not known yet: linked when it arrives"),
});

export const DeploymentUsecases = z.object({
  broke: z.array(UsecaseBreak.extend({ usecase: z.string() })),
  fixed: z.array(UsecaseBreak.extend({ usecase: z.string() })),
});
export type DeploymentUsecases = z.infer<typeof DeploymentUsecases>;

export const UsecaseScope = z.object({
  service: z.string().min(1).max(200),
  environment: z.string().min(1).max(200),
});
export const UsecaseMatrixQuery = UsecaseScope.extend({ limit: z.coerce.number().int().min(1).max(200).default(30) });
/** How many of a use case's latest runs its history lists unless asked for more. */
export const HISTORY_RUNS = 200;
export const UsecaseHistoryQuery = UsecaseScope.extend({
  limit: z.coerce.number().int().min(1).max(100_000).default(HISTORY_RUNS).describe("how many of the latest runs to list; breaks always cover the whole history"),
});
