import { z } from "zod";

/** RFC 3339 with an explicit offset (Z or ±hh:mm); normalised to UTC milliseconds. */
export const Timestamp = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString());

const Name = z.string().trim().min(1).max(200);
const Text = z.string().max(10_000);
const Url = z.url().max(2_000);

const Common = {
  id: z.string().trim().min(1).max(200).optional(),
  occurredAt: Timestamp,
  service: Name,
  environment: Name,
  team: Name.optional(),
  source: Name.optional(),
  labels: z.record(z.string().max(200), z.string().max(2_000)).optional(),
};

export const DeploymentStatus = z.enum(["started", "succeeded", "failed", "rolled_back"]);
export const DeploymentStrategy = z.enum(["rolling", "blue_green", "canary", "recreate"]);
export const DeploymentKind = z.enum(["normal", "rollback", "hotfix"]);
export const IncidentStatus = z.enum(["opened", "acknowledged", "resolved"]);
export const UsecaseStatus = z.enum(["pass", "fail", "skip"]);
export const FlagAction = z.enum(["enabled", "disabled", "rollout"]);

export const DeploymentCommit = z.strictObject({
  sha: z.string().trim().min(4).max(64),
  authoredAt: Timestamp,
  committedAt: Timestamp.optional(),
  author: z.string().max(200).optional(),
  message: Text.optional(),
});

export const DeploymentEvent = z.strictObject({
  type: z.literal("deployment"),
  ...Common,
  deploymentId: Name,
  version: Name,
  status: DeploymentStatus,
  artifact: z.string().max(500).optional(),
  strategy: DeploymentStrategy.optional(),
  canaryWeight: z.number().min(0).max(100).optional(),
  kind: DeploymentKind.optional(),
  rollsBack: Name.optional(),
  commits: z.array(DeploymentCommit).max(10_000).optional(),
  url: Url.optional(),
  actor: z.string().max(200).optional(),
});

export const IncidentEvent = z.strictObject({
  type: z.literal("incident"),
  ...Common,
  incidentId: Name,
  status: IncidentStatus,
  severity: z.string().max(50).optional(),
  title: z.string().max(1_000).optional(),
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
    durationMs: z.number().int().min(0).optional(),
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
  actor: z.string().max(200).optional(),
});

/** A commit seen on a push; `service`/`environment` name where it will be deployed. */
export const CommitEvent = z.strictObject({
  type: z.literal("commit"),
  ...Common,
  sha: z.string().trim().min(4).max(64),
  repository: z.string().max(300).optional(),
  authoredAt: Timestamp,
  committedAt: Timestamp.optional(),
  author: z.string().max(200).optional(),
  message: Text.optional(),
});

export const EventInput = z.discriminatedUnion("type", [
  DeploymentEvent,
  IncidentEvent,
  UsecaseEvent,
  FlagEvent,
  CommitEvent,
]);

export const EVENT_TYPES = ["deployment", "incident", "usecase", "flag", "commit"] as const;
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
export type DeploymentCommit = z.output<typeof DeploymentCommit>;
