import { z } from "zod";
import type { Collector, Delivery, Mapping } from "./collector.ts";
import { eventIdOf, mapByHeader } from "./collector.ts";
import type { CollectorsConfig } from "./config.ts";
import { defined, firstPresent, labels, own } from "./fields.ts";
import { ignored, mapped, readPayload, type MappingResult } from "./result.ts";
import { verifyPrefixedHmac } from "./signature.ts";
import { environmentOf, repositoryTarget, targetFields } from "./targets.ts";

export const GITHUB_MAPPING_VERSION = 1;

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
const PullRequestPayload = z.looseObject({
  action: z.string(),
  pull_request: z.looseObject({
    number: z.number(),
    title: z.string().nullish(),
    merged: z.boolean().nullish(),
    merged_at: z.string().nullish(),
    created_at: z.string(),
    merge_commit_sha: z.string().nullish(),
    html_url: z.string().nullish(),
    user: User,
    base: z.looseObject({ ref: z.string() }).optional(),
  }),
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
    const outcome = WORKFLOW_CONCLUSIONS[run.conclusion ?? ""];
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

/**
 * A merged pull request becomes its merge commit, dated from when the pull request was
 * opened: the earliest moment GitHub tells us the change existed, without calling its API.
 * Lead time takes a commit's earliest known authored time, so this widens it to include review.
 */
function mapPullRequest(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { action, pull_request: pr, repository } = readPayload(PullRequestPayload, delivery.payload);
  if (action !== "closed") return ignored(`pull_request action '${action}' is not used`);
  if (!pr.merged || !pr.merged_at || !pr.merge_commit_sha) return ignored("pull request closed without merging");
  return mapped([defined({
    type: "commit" as const,
    id: eventIdOf("github", delivery),
    source: "github",
    occurredAt: pr.merged_at,
    ...targetFields(repositoryTarget(config, repository.full_name)),
    environment: config.defaultEnvironment,
    sha: pr.merge_commit_sha,
    repository: repository.full_name,
    authoredAt: pr.created_at,
    committedAt: pr.merged_at,
    author: pr.user?.login,
    message: pr.title ?? undefined,
    labels: labels({ pullRequest: pr.number, url: pr.html_url, base: pr.base?.ref, openedAt: pr.created_at, mergedAt: pr.merged_at }),
  })]);
}

const MAPPINGS: Record<string, Mapping> = {
  deployment: mapDeployment,
  deployment_status: mapDeploymentStatus,
  push: mapPush,
  workflow_run: mapWorkflowRun,
  pull_request: mapPullRequest,
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
