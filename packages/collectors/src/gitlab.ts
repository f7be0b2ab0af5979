import { z } from "zod";
import type { Collector, Delivery, Mapping } from "./collector.ts";
import { eventIdOf, mapByHeader } from "./collector.ts";
import type { CollectorsConfig } from "./config.ts";
import { defined, firstPresent, labels, own } from "./fields.ts";
import { ignored, mapped, readPayload, type MappingResult } from "./result.ts";
import { verifyToken } from "./signature.ts";
import { environmentOf, repositoryTarget, targetFields } from "./targets.ts";

export const GITLAB_MAPPING_VERSION = 2;

/**
 * GitLab writes "2021-04-28 21:50:00 +0200" and "2016-08-12 15:23:28 UTC" as well as
 * ISO 8601, sometimes in one payload; all become RFC 3339.
 */
export function gitlabTime(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(UTC|Z|[+-]\d{2}:?\d{2})$/.exec(value.trim());
  if (!match) return value;
  const zone = match[3] === "UTC" || match[3] === "Z" ? "Z" : match[3]!.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  return `${match[1]}T${match[2]}${zone}`;
}

const Project = z.looseObject({ id: z.number(), path_with_namespace: z.string().min(1) });
const Commit = z.looseObject({
  id: z.string().min(4),
  timestamp: z.string(),
  message: z.string().nullish(),
  author: z.looseObject({ name: z.string().nullish() }).nullish(),
});

const DeploymentPayload = z.looseObject({
  status: z.string(),
  status_changed_at: z.string(),
  deployment_id: z.number(),
  environment: z.string().min(1),
  environment_tier: z.string().nullish(),
  environment_external_url: z.string().nullish(),
  deployable_url: z.string().nullish(),
  project: Project,
  short_sha: z.string().min(4),
  commit_url: z.string().nullish(),
  commit_title: z.string().nullish(),
  user: z.looseObject({ username: z.string() }).nullish(),
});
const PipelinePayload = z.looseObject({
  object_attributes: z.looseObject({ id: z.number(), ref: z.string().nullish(), status: z.string() }),
  project: Project,
  commit: Commit.nullish(),
});
const PushPayload = z.looseObject({ ref: z.string(), commits: z.array(Commit), project: Project });
const MergeRequestPayload = z.looseObject({
  user: z.looseObject({ username: z.string() }).nullish(),
  project: Project,
  object_attributes: z.looseObject({
    iid: z.number(),
    action: z.string().nullish(),
    title: z.string().nullish(),
    url: z.string().nullish(),
    created_at: z.string(),
    updated_at: z.string(),
    merge_commit_sha: z.string().nullish(),
    last_commit: z.looseObject({ id: z.string().min(4) }).nullish(),
  }),
});

const DEPLOYMENT_STATUSES: Record<string, "started" | "succeeded" | "failed"> = { running: "started", success: "succeeded", failed: "failed" };

function commitEvent(delivery: Delivery, config: CollectorsConfig, project: z.infer<typeof Project>, commit: z.infer<typeof Commit>, index: number) {
  return defined({
    type: "commit" as const,
    id: eventIdOf("gitlab", delivery, index),
    source: "gitlab",
    occurredAt: gitlabTime(commit.timestamp),
    ...targetFields(repositoryTarget(config, project.path_with_namespace)),
    environment: config.defaultEnvironment,
    sha: commit.id,
    repository: project.path_with_namespace,
    authoredAt: gitlabTime(commit.timestamp),
    author: commit.author?.name ?? undefined,
    message: commit.message?.slice(0, 10_000) ?? undefined,
  });
}

/** A deployment payload has only the short SHA; the full one is the last segment of commit_url. */
function mapDeployment(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const payload = readPayload(DeploymentPayload, delivery.payload);
  const status = own(DEPLOYMENT_STATUSES, payload.status);
  if (!status) return ignored(`deployment status '${payload.status}' is neither a start nor an outcome`);
  const fullSha = /\/commit\/([0-9a-f]{40})$/.exec(payload.commit_url ?? "")?.[1];
  return mapped([defined({
    type: "deployment" as const,
    id: eventIdOf("gitlab", delivery),
    source: "gitlab",
    occurredAt: gitlabTime(payload.status_changed_at),
    ...targetFields(repositoryTarget(config, payload.project.path_with_namespace)),
    environment: environmentOf(config, payload.environment, payload.environment_tier),
    deploymentId: `gitlab:${payload.project.id}:${payload.deployment_id}`,
    version: fullSha ?? payload.short_sha,
    status,
    url: firstPresent(payload.deployable_url, payload.environment_external_url),
    actor: payload.user?.username,
    labels: labels({ repository: payload.project.path_with_namespace, gitlabEnvironment: payload.environment, commitTitle: payload.commit_title }),
  })]);
}

/** A pipeline makes its commit known (GitLab's deployment events name only a short SHA). */
function mapPipeline(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { project, commit } = readPayload(PipelinePayload, delivery.payload);
  if (!commit) return ignored("pipeline names no commit");
  return mapped([commitEvent(delivery, config, project, commit, 0)]);
}

function mapPush(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { project, commits } = readPayload(PushPayload, delivery.payload);
  if (commits.length === 0) return ignored("push carries no commits");
  return mapped(commits.map((commit, index) => commitEvent(delivery, config, project, commit, index)));
}

/** Merge request actions as pull-request steps; an approval is GitLab's review. Others (update, unapproval) change no stage. */
const MERGE_REQUEST_STEPS: Record<string, "opened" | "approved" | "merged" | "closed"> = {
  open: "opened", approval: "approved", approved: "approved", merge: "merged", close: "closed",
};

/** A merge request step, dated when GitLab recorded it (`updated_at`; `created_at` for the opening). */
function mapMergeRequest(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { object_attributes: mr, project, user } = readPayload(MergeRequestPayload, delivery.payload);
  const status = MERGE_REQUEST_STEPS[mr.action ?? ""];
  if (!status) return ignored(`merge request action '${mr.action ?? "(none)"}' is not used`);
  const commits = [mr.last_commit?.id, status === "merged" ? mr.merge_commit_sha : undefined].filter((sha): sha is string => !!sha && sha.length >= 4);
  return mapped([defined({
    type: "pull_request" as const,
    id: eventIdOf("gitlab", delivery),
    source: "gitlab",
    occurredAt: gitlabTime(status === "opened" ? mr.created_at : mr.updated_at),
    ...targetFields(repositoryTarget(config, project.path_with_namespace)),
    environment: config.defaultEnvironment,
    repository: project.path_with_namespace,
    number: mr.iid,
    status,
    title: mr.title?.slice(0, 1_000) ?? undefined,
    author: status === "opened" ? user?.username : undefined,
    url: firstPresent(mr.url),
    commits: commits.length > 0 ? [...new Set(commits)] : undefined,
  })]);
}

const MAPPINGS: Record<string, Mapping> = {
  "Deployment Hook": mapDeployment,
  "Merge Request Hook": mapMergeRequest,
  "Pipeline Hook": mapPipeline,
  "Push Hook": mapPush,
};

/** GitLab has no retry-stable delivery id, so deliveries are keyed by their body (the default). */
export const gitlab: Collector = {
  source: "gitlab",
  mappingVersion: GITLAB_MAPPING_VERSION,
  headers: ["x-gitlab-event", "x-gitlab-event-uuid", "x-gitlab-instance", "user-agent"],
  verify: (secret, _body, headers) => verifyToken(secret, headers["x-gitlab-token"]),
  map: mapByHeader("x-gitlab-event", "GitLab", "event", MAPPINGS),
};
