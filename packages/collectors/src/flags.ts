import { z } from "zod";
import { FlagAction } from "@drumbeat/events";
import type { Collector, Delivery } from "./collector.ts";
import { eventIdOf } from "./collector.ts";
import type { CollectorsConfig, SourceName, Target } from "./config.ts";
import { defined } from "./fields.ts";
import { collect, mapped, readPayload, type MappingResult } from "./result.ts";
import { verifyToken } from "./signature.ts";
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

/** Shared-token check for tools that can only add a header: X-Drumbeat-Token, or Authorization. */
export function verifySharedToken(secret: string, headers: Readonly<Record<string, string | undefined>>): boolean {
  return verifyToken(secret, headers["x-drumbeat-token"] ?? headers.authorization);
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
