import { z } from "zod";
import type { Collector, Delivery, Mapping } from "./collector.ts";
import { eventIdOf, mapByHeader } from "./collector.ts";
import type { CollectorsConfig } from "./config.ts";
import { defined, firstPresent, fromEpochMs, labels, own } from "./fields.ts";
import { ignored, mapped, readPayload, type MappingResult } from "./result.ts";
import { verifyHexHmac } from "./signature.ts";
import { serviceTarget, targetFields } from "./targets.ts";

export const SENTRY_MAPPING_VERSION = 1;

const Actor = z.looseObject({ name: z.string().nullish() }).nullish();
const IssuePayload = z.looseObject({
  action: z.string(),
  actor: Actor,
  data: z.looseObject({
    issue: z.looseObject({
      id: z.string().min(1),
      title: z.string().nullish(),
      shortId: z.string().nullish(),
      level: z.string().nullish(),
      firstSeen: z.string(),
      web_url: z.string().nullish(),
      permalink: z.string().nullish(),
      project: z.looseObject({ slug: z.string().min(1) }),
    }),
  }),
});
const EventAlertPayload = z.looseObject({
  action: z.string(),
  data: z.looseObject({
    event: z.looseObject({
      issue_id: z.string().nullish(),
      issue_url: z.string().nullish(),
      url: z.string().nullish(),
      web_url: z.string().nullish(),
      project: z.union([z.number(), z.string()]),
      title: z.string().nullish(),
      level: z.string().nullish(),
      datetime: z.string(),
      environment: z.string().nullish(),
    }),
    triggered_rule: z.string().nullish(),
  }),
});
const MetricAlertPayload = z.looseObject({
  action: z.string(),
  data: z.looseObject({
    metric_alert: z.looseObject({
      id: z.union([z.string(), z.number()]),
      title: z.string().nullish(),
      date_detected: z.string().nullish(),
      date_started: z.string().nullish(),
      date_closed: z.string().nullish(),
      projects: z.array(z.string()).nullish(),
      alert_rule: z.looseObject({ name: z.string().nullish(), projects: z.array(z.string()).nullish(), environment: z.string().nullish() }).nullish(),
    }),
    web_url: z.string().nullish(),
    description_title: z.string().nullish(),
  }),
});

/** When Sentry sent it (Sentry-Hook-Timestamp, epoch seconds): the time of changes whose payload carries none. */
function sentAt(delivery: Delivery): string {
  const seconds = Number(delivery.headers["sentry-hook-timestamp"]);
  return Number.isFinite(seconds) && seconds > 0 ? fromEpochMs(Math.round(seconds * 1000)) : delivery.receivedAt;
}

const ISSUE_STATUSES: Record<string, "opened" | "resolved"> = { created: "opened", unresolved: "opened", resolved: "resolved" };

/**
 * Sentry incidents are recorded in the default environment: an issue's lifecycle
 * payloads name no environment, and its events must land in one place to fold together.
 */
function incident(delivery: Delivery, config: CollectorsConfig, fields: { service: string; incidentId: string; status: "opened" | "resolved" | "acknowledged"; occurredAt: string; title?: string; severity?: string; url?: string; labels?: Record<string, string> }): MappingResult {
  return mapped([defined({
    type: "incident" as const,
    id: eventIdOf("sentry", delivery),
    source: "sentry",
    occurredAt: fields.occurredAt,
    ...targetFields(serviceTarget(config, fields.service)!),
    environment: config.defaultEnvironment,
    incidentId: fields.incidentId,
    status: fields.status,
    severity: fields.severity,
    title: fields.title?.slice(0, 1_000),
    url: fields.url,
    labels: fields.labels,
  })]);
}

function mapIssue(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { action, actor, data: { issue } } = readPayload(IssuePayload, delivery.payload);
  const status = own(ISSUE_STATUSES, action);
  if (!status) return ignored(`issue action '${action}' does not open or resolve an issue`);
  return incident(delivery, config, {
    service: issue.project.slug,
    incidentId: `sentry:issue:${issue.id}`,
    status,
    occurredAt: action === "created" ? issue.firstSeen : sentAt(delivery),
    title: issue.title ?? undefined,
    severity: issue.level ?? undefined,
    url: firstPresent(issue.web_url, issue.permalink),
    labels: labels({ shortId: issue.shortId, actor: actor?.name }),
  });
}

/** An issue alert names its project by number; its API url carries the slug. */
function mapEventAlert(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { action, data } = readPayload(EventAlertPayload, delivery.payload);
  if (action !== "triggered") return ignored(`event_alert action '${action}' is not used`);
  const { event } = data;
  const issueId = firstPresent(event.issue_id) ?? /\/issues\/(\d+)\/?$/.exec(event.issue_url ?? "")?.[1];
  if (!issueId) return { kind: "malformed", issues: [{ path: "data.event.issue_url", message: "names no issue (nor does data.event.issue_id)" }] };
  const slug = /\/projects\/[^/]+\/([^/]+)\/events\//.exec(event.url ?? "")?.[1];
  return incident(delivery, config, {
    service: slug ?? String(event.project),
    incidentId: `sentry:issue:${issueId}`,
    status: "opened",
    occurredAt: event.datetime,
    title: event.title ?? undefined,
    severity: event.level ?? undefined,
    url: firstPresent(event.web_url),
    labels: labels({ rule: data.triggered_rule, sentryEnvironment: event.environment }),
  });
}

const METRIC_STATUSES: Record<string, "opened" | "resolved"> = { critical: "opened", warning: "opened", resolved: "resolved" };

function mapMetricAlert(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const { action, data } = readPayload(MetricAlertPayload, delivery.payload);
  const status = own(METRIC_STATUSES, action);
  if (!status) return ignored(`metric_alert action '${action}' is not used`);
  const alert = data.metric_alert;
  const project = alert.projects?.[0] ?? alert.alert_rule?.projects?.[0];
  if (!project) return { kind: "malformed", issues: [{ path: "data.metric_alert.projects", message: "names no project" }] };
  return incident(delivery, config, {
    service: project,
    incidentId: `sentry:metric_alert:${alert.id}`,
    status,
    occurredAt: (status === "resolved" ? alert.date_closed : firstPresent(alert.date_detected, alert.date_started)) ?? sentAt(delivery),
    title: firstPresent(alert.title, data.description_title),
    severity: action === "resolved" ? undefined : action,
    url: firstPresent(data.web_url),
    labels: labels({ rule: alert.alert_rule?.name, sentryEnvironment: alert.alert_rule?.environment }),
  });
}

const MAPPINGS: Record<string, Mapping> = {
  issue: mapIssue,
  event_alert: mapEventAlert,
  metric_alert: mapMetricAlert,
};

export const sentry: Collector = {
  source: "sentry",
  mappingVersion: SENTRY_MAPPING_VERSION,
  headers: ["sentry-hook-resource", "sentry-hook-timestamp", "request-id", "user-agent"],
  verify: (secret, body, headers) => verifyHexHmac(secret, body, headers["sentry-hook-signature"]),
  map: mapByHeader("sentry-hook-resource", "Sentry", "resource", MAPPINGS),
};
