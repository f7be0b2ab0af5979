import { z } from "zod";

/**
 * The times an event may carry, [from, to). ClickHouse's DateTime64 holds 1900 to 2299,
 * but durations are kept as UInt32 seconds (136 years) and 1970-01-01 stands for "unknown"
 * in optional columns, so the range is narrower than the engine's.
 */
export const TIME_RANGE = { from: "1970-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" } as const;
const TIME_FROM = Date.parse(TIME_RANGE.from);
const TIME_TO = Date.parse(TIME_RANGE.to);

/** True for an ISO time the store can hold (see TIME_RANGE). */
export function inTimeRange(value: string): boolean {
  const at = Date.parse(value);
  return at >= TIME_FROM && at < TIME_TO;
}
export const TIME_RANGE_MESSAGE = `must be from ${TIME_RANGE.from} to before ${TIME_RANGE.to}`;

/** RFC 3339 with an explicit offset (Z or ±hh:mm), inside TIME_RANGE; normalised to UTC milliseconds. */
export const Timestamp = z.iso
  .datetime({ offset: true, abort: true })
  .refine(inTimeRange, TIME_RANGE_MESSAGE)
  .transform((value) => new Date(value).toISOString());

/**
 * Every string of an event. A lone UTF-16 surrogate (`"\ud800"` in JSON) has no UTF-8
 * form: it is stored well-formed, as U+FFFD, on every path (API, webhooks, CLI), the way
 * a UTF-8 encoder writes it.
 */
export function toWellFormed(value: string): string {
  return value.replace(/\p{Cs}/gu, "\ufffd");
}
export const WellFormedString = () => z.string().overwrite(toWellFormed);

/** Widest integer the store's UInt32 columns (durationMs) hold. */
export const UINT32_MAX = 4_294_967_295;

const Name = WellFormedString().trim().min(1).max(200);
const Text = WellFormedString().max(10_000);
const Url = z.url().max(2_000).overwrite(toWellFormed);
const Short = (max: number) => WellFormedString().max(max);

const Common = {
  id: WellFormedString().trim().min(1).max(200).optional(),
  occurredAt: Timestamp,
  service: Name,
  environment: Name,
  team: Name.optional(),
  source: Name.optional(),
  labels: z.record(Short(200), Short(2_000)).optional(),
};

export const DeploymentStatus = z.enum(["started", "succeeded", "failed", "rolled_back"]);
export const DeploymentStrategy = z.enum(["rolling", "blue_green", "canary", "recreate"]);
export const DeploymentKind = z.enum(["normal", "rollback", "hotfix"]);
export const IncidentStatus = z.enum(["opened", "acknowledged", "resolved"]);
export const UsecaseStatus = z.enum(["pass", "fail", "skip"]);
export const FlagAction = z.enum(["enabled", "disabled", "rollout"]);
export const PullRequestStatus = z.enum(["opened", "reviewed", "approved", "merged", "closed"]);

export const DeploymentCommit = z.strictObject({
  sha: WellFormedString().trim().min(4).max(64),
  authoredAt: Timestamp,
  committedAt: Timestamp.optional(),
  author: Short(200).optional(),
  message: Text.optional(),
});

export const DeploymentEvent = z.strictObject({
  type: z.literal("deployment"),
  ...Common,
  deploymentId: Name,
  version: Name,
  status: DeploymentStatus,
  artifact: Short(500).optional(),
  strategy: DeploymentStrategy.optional(),
  canaryWeight: z.number().min(0).max(100).optional(),
  kind: DeploymentKind.optional(),
  rollsBack: Name.optional(),
  commits: z.array(DeploymentCommit).max(10_000).optional(),
  url: Url.optional(),
  actor: Short(200).optional(),
});

export const IncidentEvent = z.strictObject({
  type: z.literal("incident"),
  ...Common,
  incidentId: Name,
  status: IncidentStatus,
  severity: Short(50).optional(),
  title: Short(1_000).optional(),
  url: Url.optional(),
  causedBy: Name.optional(),
});

/** A use-case result names its deployment, or the service + environment + version it ran against. */
export const UsecaseEvent = z
  .strictObject({
    type: z.literal("usecase"),
    ...Common,
    deploymentId: Name.optional(),
    version: Name.optional(),
    usecase: Name,
    suite: Name.optional(),
    status: UsecaseStatus,
    durationMs: z.number().int().min(0).max(UINT32_MAX).optional(),
    error: Text.optional(),
  })
  .refine((event) => event.deploymentId !== undefined || event.version !== undefined, {
    message: "a use-case result needs deploymentId, or version (with service and environment)",
    path: ["deploymentId"],
  });

export const FlagEvent = z.strictObject({
  type: z.literal("flag"),
  ...Common,
  flag: Name,
  action: FlagAction,
  percentage: z.number().min(0).max(100).optional(),
  actor: Short(200).optional(),
});

/** A commit seen on a push; `service`/`environment` name where it will be deployed. */
export const CommitEvent = z.strictObject({
  type: z.literal("commit"),
  ...Common,
  sha: WellFormedString().trim().min(4).max(64),
  repository: Short(300).optional(),
  authoredAt: Timestamp,
  committedAt: Timestamp.optional(),
  author: Short(200).optional(),
  message: Text.optional(),
});

/**
 * One step of a pull (merge) request's life: opened, a review (`reviewed`, or `approved`),
 * merged or closed unmerged. `commits` are the SHAs it is known to carry (its head, its
 * merge commit): they link it to the deployment that shipped it. Identified by
 * (service, repository, number).
 */
export const PullRequestEvent = z.strictObject({
  type: z.literal("pull_request"),
  ...Common,
  repository: z.string().trim().min(1).max(300),
  number: z.number().int().min(1),
  status: PullRequestStatus,
  title: z.string().max(1_000).optional(),
  author: z.string().max(200).optional(),
  url: Url.optional(),
  commits: z.array(z.string().trim().min(4).max(64)).max(10_000).optional(),
});

export const EventInput = z.discriminatedUnion("type", [
  DeploymentEvent,
  IncidentEvent,
  UsecaseEvent,
  FlagEvent,
  CommitEvent,
  PullRequestEvent,
]);

export const EVENT_TYPES = ["deployment", "incident", "usecase", "flag", "commit", "pull_request"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type EventInput = z.input<typeof EventInput>;
export type ParsedEvent = z.output<typeof EventInput>;
/** An event after normalisation: the id is always present. */
export type DrumbeatEvent = ParsedEvent & { id: string };
export type DeploymentEvent = Extract<DrumbeatEvent, { type: "deployment" }>;
export type IncidentEvent = Extract<DrumbeatEvent, { type: "incident" }>;
export type UsecaseEvent = Extract<DrumbeatEvent, { type: "usecase" }>;
export type FlagEvent = Extract<DrumbeatEvent, { type: "flag" }>;
export type CommitEvent = Extract<DrumbeatEvent, { type: "commit" }>;
export type PullRequestEvent = Extract<DrumbeatEvent, { type: "pull_request" }>;
export type DeploymentCommit = z.output<typeof DeploymentCommit>;
