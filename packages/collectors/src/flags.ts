import { z } from "zod";
import { FlagAction } from "@drumbeat/events";
import type { Collector, Delivery } from "./collector.ts";
import { eventIdOf } from "./collector.ts";
import type { CollectorsConfig, SourceName, Target } from "./config.ts";
import { defined, fromEpochMs, labels, own } from "./fields.ts";
import { collect, ignored, mapped, readPayload, type MappingResult } from "./result.ts";
import { verifyHexHmac, verifySharedToken } from "./signature.ts";
import { environmentOf, serviceTarget, targetFields } from "./targets.ts";

export const FLAGS_MAPPING_VERSION = 1;

/** A flag change as any tool (or a script) can send it; `disabled` is a flag kill. */
const GenericFlagPayload = z.looseObject({
  flag: z.string().min(1),
  action: FlagAction,
  service: z.string().min(1),
  environment: z.string().min(1).optional(),
  team: z.string().min(1).optional(),
  percentage: z.number().min(0).max(100).optional(),
  actor: z.string().optional(),
  occurredAt: z.string().optional(),
});

interface FlagChange {
  flag: string;
  action: z.infer<typeof FlagAction>;
  target: Target;
  environment: string | undefined;
  occurredAt: string;
  percentage?: number;
  actor?: string;
  labels?: Record<string, string>;
}

/** The one flag event of a delivery. */
export function flagEvent(source: SourceName, delivery: Delivery, config: CollectorsConfig, change: FlagChange): MappingResult {
  return mapped([defined({
    type: "flag" as const,
    id: eventIdOf(source, delivery),
    source,
    occurredAt: change.occurredAt,
    ...targetFields(change.target),
    environment: environmentOf(config, change.environment),
    flag: change.flag,
    action: change.action,
    percentage: change.percentage,
    actor: change.actor,
    labels: change.labels,
  })]);
}

export const flags: Collector = {
  source: "flags",
  mappingVersion: FLAGS_MAPPING_VERSION,
  headers: ["user-agent"],
  verify: (secret, _body, headers) => verifySharedToken(secret, headers),
  map: (delivery, config) => collect(() => {
    const body = readPayload(GenericFlagPayload, delivery.payload);
    const configured = serviceTarget(config, body.service)!;
    return flagEvent("flags", delivery, config, {
      flag: body.flag,
      action: body.action,
      target: body.team ? { service: configured.service, team: body.team } : configured,
      environment: body.environment,
      occurredAt: body.occurredAt ?? delivery.receivedAt,
      percentage: body.percentage,
      actor: body.actor,
    });
  }),
};

/** Unleash's webhook addon posts its event as JSON (no body template). */
const UnleashEvent = z.looseObject({
  id: z.number(),
  type: z.string().min(1),
  createdBy: z.string().nullish(),
  createdAt: z.string(),
  featureName: z.string().nullish(),
  project: z.string().nullish(),
  environment: z.string().nullish(),
  data: z.looseObject({ name: z.string().nullish(), parameters: z.looseObject({ rollout: z.union([z.string(), z.number()]).nullish() }).nullish() }).nullish(),
});

export const UNLEASH_MAPPING_VERSION = 1;

/** Enabling, disabling (a kill) and a changed gradual-rollout percentage in one environment. */
export const unleash: Collector = {
  source: "unleash",
  mappingVersion: UNLEASH_MAPPING_VERSION,
  headers: ["user-agent"],
  verify: (secret, _body, headers) => verifySharedToken(secret, headers),
  map: (delivery, config) => collect(() => {
    const event = readPayload(UnleashEvent, delivery.payload);
    let action: z.infer<typeof FlagAction>;
    let percentage: number | undefined;
    if (event.type === "feature-environment-enabled") action = "enabled";
    else if (event.type === "feature-environment-disabled") action = "disabled";
    else if (event.type === "feature-strategy-update" && event.data?.parameters?.rollout !== undefined && event.data.parameters.rollout !== null) {
      action = "rollout";
      percentage = Number(event.data.parameters.rollout);
    } else return ignored(`Unleash event '${event.type}' does not switch a flag or change its rollout`);
    if (!event.featureName) return { kind: "malformed", issues: [{ path: "featureName", message: "required for a flag change" }] };
    return flagEvent("unleash", delivery, config, {
      flag: event.featureName,
      action,
      target: own(config.services, event.featureName) ?? serviceTarget(config, event.project, event.featureName)!,
      environment: event.environment ?? undefined,
      occurredAt: event.createdAt,
      percentage,
      actor: event.createdBy ?? undefined,
      labels: labels({ unleashEventId: event.id, project: event.project }),
    });
  }),
};

/** LaunchDarkly posts audit-log entries; `accesses` name what changed, `currentVersion` the result. */
const LaunchDarklyEntry = z.looseObject({
  _id: z.string().min(1),
  date: z.number(),
  kind: z.string(),
  member: z.looseObject({ email: z.string().nullish() }).nullish(),
  accesses: z.array(z.looseObject({ action: z.string(), resource: z.string() })).nullish(),
  currentVersion: z.looseObject({
    key: z.string().min(1),
    environments: z.record(z.string(), z.looseObject({ on: z.boolean() })).nullish(),
  }).nullish(),
});

export const LAUNCHDARKLY_MAPPING_VERSION = 1;

/** Turning a flag on or off in an environment (resource `proj/<p>:env/<e>:flag/<key>`, action updateOn). */
export const launchdarkly: Collector = {
  source: "launchdarkly",
  mappingVersion: LAUNCHDARKLY_MAPPING_VERSION,
  headers: ["user-agent"],
  verify: (secret, body, headers) => verifyHexHmac(secret, body, headers["x-ld-signature"]),
  map: (delivery, config) => collect(() => {
    const entry = readPayload(LaunchDarklyEntry, delivery.payload);
    if (entry.kind !== "flag") return ignored(`LaunchDarkly '${entry.kind}' changes are not flag changes`);
    const toggle = entry.accesses?.find((access) => access.action === "updateOn");
    if (!toggle) return ignored("the change does not turn the flag on or off");
    const match = /^proj\/([^:]+):env\/([^:]+):flag\/(.+)$/.exec(toggle.resource);
    if (!match) return { kind: "malformed", issues: [{ path: "accesses", message: `unexpected resource '${toggle.resource}'` }] };
    const [, project, environment, key] = match as unknown as [string, string, string, string];
    const on = entry.currentVersion?.environments?.[environment]?.on;
    if (on === undefined) return { kind: "malformed", issues: [{ path: `currentVersion.environments.${environment}.on`, message: "required to tell on from off" }] };
    return flagEvent("launchdarkly", delivery, config, {
      flag: key,
      action: on ? "enabled" : "disabled",
      target: own(config.services, key) ?? serviceTarget(config, project)!,
      environment,
      occurredAt: fromEpochMs(entry.date),
      actor: entry.member?.email ?? undefined,
      labels: labels({ auditLogId: entry._id, project }),
    });
  }),
};
