import { z } from "zod";
import { IncidentStatus } from "@drumbeat/events";
import type { Store } from "../store.ts";
import { SCOPE_WHERE, ScopeFilter, scopeParams } from "./filters.ts";

export const IncidentSummary = z.object({
  incidentId: z.string(),
  service: z.string(),
  environment: z.string(),
  team: z.string(),
  status: IncidentStatus,
  severity: z.string(),
  title: z.string(),
  url: z.string(),
  causedBy: z.string(),
  openedAt: z.string(),
  resolvedAt: z.string().nullable(),
});

export const IncidentListQuery = ScopeFilter.extend({
  status: IncidentStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type IncidentListQuery = z.input<typeof IncidentListQuery>;

/** Incidents opened in the range, newest first, each folded from its lifecycle events. */
export async function listIncidents(store: Store, input: IncidentListQuery) {
  const query = IncidentListQuery.parse(input);
  return store.query({
    name: "incidents.list",
    sql: `SELECT incident_id AS incidentId, service, environment,
        argMax(event_team, occurred_at) AS team,
        argMax(event_status, occurred_at) AS status,
        argMax(event_severity, occurred_at) AS severity,
        argMax(event_title, (event_title != '', occurred_at)) AS title,
        argMax(event_url, (event_url != '', occurred_at)) AS url,
        argMax(event_caused_by, (event_caused_by != '', occurred_at)) AS causedBy,
        min(occurred_at) AS openedAt,
        if(countIf(event_status = 'resolved') = 0, NULL, minIf(occurred_at, event_status = 'resolved')) AS resolvedAt
      FROM (
        SELECT incident_id, service, environment, occurred_at, team AS event_team, status AS event_status,
          severity AS event_severity, title AS event_title, url AS event_url, caused_by AS event_caused_by
        -- No FINAL: a retried insert repeats rows whole, and every aggregate above gives the
        -- same answer over a row twice (FINAL would merge every monthly part's range of the key).
        FROM incident_events
        WHERE ${SCOPE_WHERE}
          -- Only incidents with an event from the range's start on (the months before are
          -- skipped: partitioned by month), so the read does not grow with the history; each
          -- with all its events, earlier ones too, which say when it opened.
          AND (environment, service, incident_id) IN (
            SELECT environment, service, incident_id FROM incident_events
            WHERE ${SCOPE_WHERE} AND occurred_at >= {from:DateTime64(3, 'UTC')})
      )
      GROUP BY environment, service, incident_id
      HAVING openedAt >= {from:DateTime64(3, 'UTC')} AND openedAt < {to:DateTime64(3, 'UTC')}
        AND ({status:String} = '' OR status = {status:String})
      ORDER BY openedAt DESC, incidentId DESC
      LIMIT {limit:UInt32}`,
    params: { ...scopeParams(query), status: query.status ?? "", limit: query.limit },
    rows: IncidentSummary,
  });
}
