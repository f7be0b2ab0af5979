import { z } from "zod";
import type { Collector } from "./collector.ts";
import { eventIdOf } from "./collector.ts";
import { defined, fromEpochMs, labels, own } from "./fields.ts";
import { verifySharedToken } from "./signature.ts";
import { collect, ignored, mapped, readPayload } from "./result.ts";
import { serviceTarget, targetFields } from "./targets.ts";

export const OPSGENIE_MAPPING_VERSION = 1;

const AlertPayload = z.looseObject({
  action: z.string().min(1),
  alert: z.looseObject({
    alertId: z.string().min(1),
    message: z.string().nullish(),
    tags: z.array(z.string()).nullish(),
    entity: z.string().nullish(),
    alias: z.string().nullish(),
    tinyId: z.string().nullish(),
    createdAt: z.number(),
    // Epoch nanoseconds, beyond 2^53: JSON.parse rounds them, which leaves milliseconds intact.
    updatedAt: z.number().nullish(),
    priority: z.union([z.string(), z.number()]).nullish(),
    username: z.string().nullish(),
  }),
});

const ALERT_STATUSES: Record<string, "opened" | "acknowledged" | "resolved"> = { Create: "opened", Acknowledge: "acknowledged", Close: "resolved" };

/**
 * Opsgenie alerts are incidents of the service named by a `service:<name>` tag, else by
 * the alert's entity. The time of an acknowledgement or close is the alert's updatedAt.
 */
export const opsgenie: Collector = {
  source: "opsgenie",
  mappingVersion: OPSGENIE_MAPPING_VERSION,
  headers: ["user-agent"],
  verify: (secret, _body, headers) => verifySharedToken(secret, headers),
  map: (delivery, config) => collect(() => {
    const { action, alert } = readPayload(AlertPayload, delivery.payload);
    const status = own(ALERT_STATUSES, action);
    if (!status) return ignored(`Opsgenie action '${action}' does not change an alert's state`);
    const tagged = alert.tags?.find((tag) => tag.startsWith("service:"))?.slice("service:".length);
    const target = serviceTarget(config, tagged, alert.entity);
    if (!target) return ignored("the alert names no service: add a tag service:<name> or set its entity");
    const at = status === "opened" || !alert.updatedAt ? alert.createdAt : Math.floor(alert.updatedAt / 1e6);
    return mapped([defined({
      type: "incident" as const,
      id: eventIdOf("opsgenie", delivery),
      source: "opsgenie",
      occurredAt: fromEpochMs(at),
      ...targetFields(target),
      environment: config.defaultEnvironment,
      incidentId: `opsgenie:${alert.alertId}`,
      status,
      severity: alert.priority === undefined || alert.priority === null ? undefined : typeof alert.priority === "number" ? `P${alert.priority}` : alert.priority,
      title: alert.message?.slice(0, 1_000) ?? undefined,
      labels: labels({ tinyId: alert.tinyId, alias: alert.alias, actor: alert.username }),
    })]);
  }),
};
