import { z } from "zod";
import type { Collector } from "./collector.ts";
import { eventIdOf } from "./collector.ts";
import { defined, firstPresent, labels, own } from "./fields.ts";
import { collect, ignored, mapped, readPayload } from "./result.ts";
import { verifyVersionedHmacList } from "./signature.ts";
import { serviceTarget, targetFields } from "./targets.ts";

export const PAGERDUTY_MAPPING_VERSION = 1;

const Reference = z.looseObject({ id: z.string(), summary: z.string().nullish() });
const V3Payload = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1),
    event_type: z.string().min(1),
    occurred_at: z.string(),
    agent: Reference.nullish(),
    data: z.unknown(),
  }),
});
const Incident = z.looseObject({
  id: z.string().min(1),
  number: z.number().nullish(),
  title: z.string().nullish(),
  html_url: z.string().nullish(),
  urgency: z.string().nullish(),
  priority: z.looseObject({ summary: z.string().nullish() }).nullish(),
  service: Reference.nullish(),
});

/** PagerDuty V3 incident lifecycle; a reopened incident is open again. */
const INCIDENT_STATUSES: Record<string, "opened" | "acknowledged" | "resolved"> = {
  "incident.triggered": "opened",
  "incident.reopened": "opened",
  "incident.acknowledged": "acknowledged",
  "incident.resolved": "resolved",
};

export const pagerduty: Collector = {
  source: "pagerduty",
  mappingVersion: PAGERDUTY_MAPPING_VERSION,
  headers: ["x-webhook-id", "x-webhook-subscription", "user-agent"],
  deliveryHeader: "x-webhook-id",
  verify: (secret, body, headers) => verifyVersionedHmacList(secret, body, headers["x-pagerduty-signature"]),
  map: (delivery, config) => collect(() => {
    const { event } = readPayload(V3Payload, delivery.payload);
    const status = own(INCIDENT_STATUSES, event.event_type);
    if (!status) return ignored(`PagerDuty event '${event.event_type}' does not change an incident's state`);
    const incident = readPayload(Incident, event.data, "event.data");
    const target = serviceTarget(config, incident.service?.summary, incident.service?.id);
    if (!target) return ignored("the incident names no service");
    return mapped([defined({
      type: "incident" as const,
      id: eventIdOf("pagerduty", delivery),
      source: "pagerduty",
      occurredAt: event.occurred_at,
      ...targetFields(target),
      environment: config.defaultEnvironment,
      incidentId: `pagerduty:${incident.id}`,
      status,
      severity: firstPresent(incident.priority?.summary, incident.urgency),
      title: incident.title?.slice(0, 1_000) ?? undefined,
      url: firstPresent(incident.html_url),
      labels: labels({ number: incident.number, pagerdutyService: incident.service?.summary, agent: event.agent?.summary, eventId: event.id }),
    })]);
  }),
};
