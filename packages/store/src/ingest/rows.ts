import type { DrumbeatEvent } from "@drumbeat/events";
import { toJsonEachRow } from "../rows.ts";

/**
 * The `events` journal row of a validated event (also the ingest benchmark's raw baseline);
 * `payload` is the event's JSON when the caller has it already (the ingest log's line).
 */
export function toEventRow(event: DrumbeatEvent, payload = JSON.stringify(event)) {
  return {
    id: event.id,
    type: event.type,
    occurred_at: event.occurredAt,
    service: event.service,
    environment: event.environment,
    team: event.team ?? "",
    source: event.source ?? "",
    payload,
  };
}

/** The typed tables an event fans out to (clickhouse/0003, 0004), in the order they are written. */
export const TYPED_TABLES = ["deployment_events", "deployment_commits", "incident_events", "usecase_results", "flag_events", "commits"] as const;
export type TypedTable = (typeof TYPED_TABLES)[number];
export type TypedRows = Record<TypedTable, object[]>;

/** `committed_at` when git gave none: the column's zero. */
const NO_TIME = "1970-01-01T00:00:00.000Z";

/**
 * The typed rows of validated events, built from the objects the API already parsed, so
 * the engine does not parse each event's JSON again per table. Column for column what
 * the materialized views of 0003/0004 derived from the payload (0013 replaced them).
 */
export function toTypedRows(events: readonly DrumbeatEvent[]): TypedRows {
  const rows: TypedRows = { deployment_events: [], deployment_commits: [], incident_events: [], usecase_results: [], flag_events: [], commits: [] };
  for (const event of events) {
    const common = { occurred_at: event.occurredAt, service: event.service, environment: event.environment, team: event.team ?? "" };
    switch (event.type) {
      case "deployment":
        rows.deployment_events.push({
          event_id: event.id, deployment_id: event.deploymentId, ...common, source: event.source ?? "",
          version: event.version, artifact: event.artifact ?? "", status: event.status, strategy: event.strategy ?? "",
          canary_weight: event.canaryWeight ?? -1, kind: event.kind ?? "normal", rolls_back: event.rollsBack ?? "",
          url: event.url ?? "", actor: event.actor ?? "", labels: event.labels ?? {}, commit_count: event.commits?.length ?? 0,
        });
        for (const commit of event.commits ?? []) {
          rows.deployment_commits.push({
            environment: event.environment, service: event.service, deployment_id: event.deploymentId, sha: commit.sha,
            authored_at: commit.authoredAt, committed_at: commit.committedAt ?? NO_TIME, author: commit.author ?? "", message: commit.message ?? "",
          });
        }
        break;
      case "incident":
        rows.incident_events.push({
          event_id: event.id, incident_id: event.incidentId, ...common, source: event.source ?? "", status: event.status,
          severity: event.severity ?? "", title: event.title ?? "", url: event.url ?? "", caused_by: event.causedBy ?? "",
        });
        break;
      case "usecase":
        rows.usecase_results.push({
          event_id: event.id, ...common, deployment_id: event.deploymentId ?? "", version: event.version ?? "", usecase: event.usecase,
          suite: event.suite ?? "", status: event.status, duration_ms: event.durationMs ?? 0, error: event.error ?? "",
        });
        break;
      case "flag":
        rows.flag_events.push({
          event_id: event.id, ...common, flag: event.flag, action: event.action, percentage: event.percentage ?? -1, actor: event.actor ?? "",
        });
        break;
      case "commit":
        rows.commits.push({
          service: event.service, sha: event.sha, repository: event.repository ?? "", authored_at: event.authoredAt,
          committed_at: event.committedAt ?? NO_TIME, author: event.author ?? "", message: event.message ?? "",
        });
        break;
    }
  }
  return rows;
}

/** A batch's rows encoded for the engine (JSONEachRow): each typed table that has rows, and the journal. */
export interface EncodedRows {
  typed: [TypedTable, string][];
  journal: string;
}

/** Encodes the rows of events; `lines` are their JSON when known (reused as the journal's payload). */
export function encodeRows(events: readonly DrumbeatEvent[], lines?: readonly string[]): EncodedRows {
  const typed = toTypedRows(events);
  return {
    typed: TYPED_TABLES.filter((table) => typed[table].length > 0).map((table) => [table, toJsonEachRow(typed[table])]),
    journal: toJsonEachRow(events.map((event, index) => toEventRow(event, lines?.[index]))),
  };
}
