import { z } from "zod";
import type { Collector, Delivery, Mapping } from "./collector.ts";
import { eventIdOf, mapByHeader } from "./collector.ts";
import type { CollectorsConfig } from "./config.ts";
import { defined, firstPresent, labels, own } from "./fields.ts";
import { ignored, mapped, readPayload, type MappingResult } from "./result.ts";
import { verifyPrefixedHmac } from "./signature.ts";
import { environmentOf, repositoryTarget, targetFields } from "./targets.ts";

export const GITHUB_MAPPING_VERSION = 2;

const Repository = z.looseObject({ full_name: z.string().min(1) });
const User = z.looseObject({ login: z.string() }).nullish();
const Deployment = z.looseObject({
  id: z.number(),
  sha: z.string().min(4),
  ref: z.string().nullish(),
  task: z.string().nullish(),
  environment: z.string().min(1),
  created_at: z.string(),
  creator: User,
});

const DeploymentPayload = z.looseObject({ action: z.string(), deployment: Deployment, repository: Repository });
const DeploymentStatusPayload = z.looseObject({
  action: z.string(),
  deployment: Deployment,
  deployment_status: z.looseObject({
    id: z.number(),
    state: z.string(),
    environment: z.string().nullish(),
    created_at: z.string(),
    target_url: z.string().nullish(),
    environment_url: z.string().nullish(),
    log_url: z.string().nullish(),
    description: z.string().nullish(),
  }),
  repository: Repository,
});
const PushPayload = z.looseObject({
  ref: z.string(),
  deleted: z.boolean().optional(),
  commits: z.array(z.looseObject({
    id: z.string().min(4),
    timestamp: z.string(),
    message: z.string().nullish(),
    author: z.looseObject({ name: z.string().nullish(), username: z.string().nullish() }).nullish(),
  })),
  repository: Repository,
});
const WorkflowRunPayload = z.looseObject({
  action: z.string(),
  workflow_run: z.looseObject({
    id: z.number(),
    name: z.string().nullish(),
    run_attempt: z.number().optional(),
    head_sha: z.string().min(4),
    head_branch: z.string().nullish(),
    conclusion: z.string().nullish(),
    updated_at: z.string(),
    html_url: z.string().nullish(),
    actor: User,
  }),
  repository: Repository,
});
const PullRequest = z.looseObject({
  number: z.number(),
  title: z.string().nullish(),
  merged: z.boolean().nullish(),
  merged_at: z.string().nullish(),
  closed_at: z.string().nullish(),
  created_at: z.string(),
  merge_commit_sha: z.string().nullish(),
  html_url: z.string().nullish(),
  user: User,
  head: z.looseObject({ sha: z.string().min(4) }),
});
const PullRequestPayload = z.looseObject({ action: z.string(), pull_request: PullRequest, repository: Repository });
const PullRequestReviewPayload = z.looseObject({
  action: z.string(),
  review: z.looseObject({ state: z.string(), submitted_at: z.string().nullish() }),
  pull_request: PullRequest,
  repository: Repository,
});

/** GitHub deployment status states as deployment lifecycle statuses; `inactive` (superseded) means nothing for DORA. */
const DEPLOYMENT_STATES: Record<string, "started" | "succeeded" | "failed"> = {
  queued: "started", pending: "started", in_progress: "started", success: "succeeded", failure: "failed", error: "failed",
};
const WORKFLOW_CONCLUSIONS: Record<string, "succeeded" | "failed"> = { success: "succeeded", failure: "failed", timed_out: "failed" };

function deploymentId(deployment: z.infer<typeof Deployment>): string {
  return `github:${deployment.id}`;
}

function mapDeployment(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { action, deployment, repository } = readPayload(DeploymentPayload, delivery.payload);
  if (action !== "created") return ignored(`deployment action '${action}' is not used`);
  return mapped([defined({
    type: "deployment" as const,
    id: eventIdOf("github", delivery),
    source: "github",
    occurredAt: deployment.created_at,
    ...targetFields(repositoryTarget(config, repository.full_name)),
    environment: environmentOf(config, deployment.environment),
    deploymentId: deploymentId(deployment),
    version: deployment.sha,
    status: "started" as const,
    actor: deployment.creator?.login,
    labels: labels({ repository: repository.full_name, ref: deployment.ref, task: deployment.task }),
  })]);
}

function mapDeploymentStatus(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { deployment, deployment_status: status, repository } = readPayload(DeploymentStatusPayload, delivery.payload);
  const lifecycle = own(DEPLOYMENT_STATES, status.state);
  if (!lifecycle) return ignored(`deployment status '${status.state}' does not change a deployment's outcome`);
  return mapped([defined({
    type: "deployment" as const,
    id: eventIdOf("github", delivery),
    source: "github",
    occurredAt: status.created_at,
    ...targetFields(repositoryTarget(config, repository.full_name)),
    environment: environmentOf(config, firstPresent(status.environment, deployment.environment)),
    deploymentId: deploymentId(deployment),
    version: deployment.sha,
    status: lifecycle,
    url: firstPresent(status.target_url, status.log_url, status.environment_url),
    actor: deployment.creator?.login,
    labels: labels({ repository: repository.full_name, ref: deployment.ref, description: status.description?.slice(0, 2_000) }),
  })]);
}

/** Commits of a push, for lead time; deleted refs and pushes without commits carry nothing. */
function mapPush(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const push = readPayload(PushPayload, delivery.payload);
  if (push.deleted) return ignored("push deleted a ref");
  if (push.commits.length === 0) return ignored("push carries no commits");
  const target = targetFields(repositoryTarget(config, push.repository.full_name));
  return mapped(push.commits.map((commit, index) => defined({
    type: "commit" as const,
    id: eventIdOf("github", delivery, index),
    source: "github",
    occurredAt: commit.timestamp,
    ...target,
    environment: config.defaultEnvironment,
    sha: commit.id,
    repository: push.repository.full_name,
    authoredAt: commit.timestamp,
    author: firstPresent(commit.author?.username, commit.author?.name),
    message: commit.message?.slice(0, 10_000) ?? undefined,
  })));
}

/** Workflow runs whose name matches github.deploymentWorkflows are deployments (one per run attempt). */
function mapWorkflowRun(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const pattern = config.github.deploymentWorkflows;
  if (pattern === undefined) return ignored("workflow runs count as deployments only when github.deploymentWorkflows is configured");
  const { action, workflow_run: run, repository } = readPayload(WorkflowRunPayload, delivery.payload);
  const name = run.name ?? "";
  if (!new RegExp(pattern).test(name)) return ignored(`workflow '${name}' does not match github.deploymentWorkflows`);
  let status: "started" | "succeeded" | "failed";
  if (action === "requested" || action === "in_progress") status = "started";
  else if (action === "completed") {
    const outcome = own(WORKFLOW_CONCLUSIONS, run.conclusion ?? "");
    if (!outcome) return ignored(`workflow run concluded '${run.conclusion ?? "(none)"}', neither a deployment nor a failed one`);
    status = outcome;
  } else return ignored(`workflow_run action '${action}' is not used`);
  return mapped([defined({
    type: "deployment" as const,
    id: eventIdOf("github", delivery),
    source: "github",
    occurredAt: run.updated_at,
    ...targetFields(repositoryTarget(config, repository.full_name)),
    environment: environmentOf(config, config.github.workflowEnvironment ?? config.defaultEnvironment),
    deploymentId: `github:run:${run.id}:${run.run_attempt ?? 1}`,
    version: run.head_sha,
    status,
    url: firstPresent(run.html_url),
    actor: run.actor?.login,
    labels: labels({ repository: repository.full_name, workflow: name, branch: run.head_branch }),
  })]);
}

type PullRequestStep = "opened" | "reviewed" | "approved" | "merged" | "closed";

/** One step of a pull request as a `pull_request` event, with the commits GitHub names: its head and, once merged, its merge commit. */
function pullRequestEvent(delivery: Delivery, config: CollectorsConfig, repository: string, pr: z.infer<typeof PullRequest>, status: PullRequestStep, occurredAt: string) {
  return defined({
    type: "pull_request" as const,
    id: eventIdOf("github", delivery),
    source: "github",
    occurredAt,
    ...targetFields(repositoryTarget(config, repository)),
    environment: config.defaultEnvironment,
    repository,
    number: pr.number,
    status,
    title: pr.title?.slice(0, 1_000) ?? undefined,
    author: pr.user?.login,
    url: firstPresent(pr.html_url),
    commits: [...new Set([pr.head.sha, ...(status === "merged" && pr.merge_commit_sha ? [pr.merge_commit_sha] : [])])],
  });
}

/** Opened, merged and closed unmerged; other actions (labels, assignees, pushes to the branch) change no stage. */
function mapPullRequest(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { action, pull_request: pr, repository } = readPayload(PullRequestPayload, delivery.payload);
  if (action === "opened") return mapped([pullRequestEvent(delivery, config, repository.full_name, pr, "opened", pr.created_at)]);
  if (action !== "closed") return ignored(`pull_request action '${action}' is not used`);
  if (pr.merged && pr.merged_at) return mapped([pullRequestEvent(delivery, config, repository.full_name, pr, "merged", pr.merged_at)]);
  if (!pr.closed_at) return { kind: "malformed", issues: [{ path: "pull_request.closed_at", message: "a closed pull request needs closed_at" }] };
  return mapped([pullRequestEvent(delivery, config, repository.full_name, pr, "closed", pr.closed_at)]);
}

/** A submitted review: `approved` when it approves, else `reviewed` (comments, changes requested). */
function mapPullRequestReview(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { action, review, pull_request: pr, repository } = readPayload(PullRequestReviewPayload, delivery.payload);
  if (action !== "submitted") return ignored(`pull_request_review action '${action}' is not used`);
  if (!review.submitted_at) return { kind: "malformed", issues: [{ path: "review.submitted_at", message: "a submitted review needs submitted_at" }] };
  const status = review.state.toLowerCase() === "approved" ? "approved" : "reviewed";
  return mapped([pullRequestEvent(delivery, config, repository.full_name, pr, status, review.submitted_at)]);
}

const MAPPINGS: Record<string, Mapping> = {
  deployment: mapDeployment,
  deployment_status: mapDeploymentStatus,
  push: mapPush,
  workflow_run: mapWorkflowRun,
  pull_request: mapPullRequest,
  pull_request_review: mapPullRequestReview,
};

export const github: Collector = {
  source: "github",
  mappingVersion: GITHUB_MAPPING_VERSION,
  headers: ["x-github-event", "x-github-delivery", "x-github-hook-id", "user-agent"],
  deliveryHeader: "x-github-delivery",
  isPing: (headers) => headers["x-github-event"] === "ping",
  verify: (secret, body, headers) => verifyPrefixedHmac("sha256=", secret, body, headers["x-hub-signature-256"]),
  map: mapByHeader("x-github-event", "GitHub", "event", MAPPINGS),
};
