import { z } from "zod";
import { dateTimeParam, type Store } from "@drumbeat/store";

export const DeploymentSpan = z.object({
  deploymentId: z.string(),
  service: z.string(),
  version: z.string(),
  startedAt: z.string(),
  /** Null while in progress. */
  finishedAt: z.string().nullable(),
});
export type DeploymentSpan = z.infer<typeof DeploymentSpan>;

/** Deployments of an environment (one service, or all with '') that started in [from, to). */
export async function deploymentSpans(store: Store, scope: { environment: string; service: string; from: string; to: string }) {
  return store.query({
    name: "correlation.deploymentSpans",
    sql: `SELECT deployment_id AS deploymentId, service, argMax(version, occurred_at) AS version,
        min(occurred_at) AS startedAt,
        if(countIf(status IN ('succeeded', 'failed', 'rolled_back')) = 0, NULL,
          minIf(occurred_at, status IN ('succeeded', 'failed', 'rolled_back'))) AS finishedAt
      FROM deployment_events
      WHERE environment = {environment:String} AND ({service:String} = '' OR service = {service:String})
        AND occurred_at >= {from:DateTime64(3, 'UTC')} - INTERVAL 1 DAY AND occurred_at < {to:DateTime64(3, 'UTC')} + INTERVAL 1 DAY
      GROUP BY deployment_id, service
      HAVING startedAt >= {from:DateTime64(3, 'UTC')} AND startedAt < {to:DateTime64(3, 'UTC')}
      ORDER BY startedAt`,
    params: { ...scope, from: dateTimeParam(scope.from), to: dateTimeParam(scope.to) },
    rows: DeploymentSpan,
  });
}

export const IncidentOpening = z.object({
  incidentId: z.string(),
  service: z.string(),
  openedAt: z.string(),
  title: z.string(),
  severity: z.string(),
  causedBy: z.string(),
});

/** Incidents of an environment first opened in [from, to). */
export async function incidentOpenings(store: Store, scope: { environment: string; from: string; to: string }) {
  return store.query({
    name: "correlation.incidentOpenings",
    sql: `SELECT incident_id AS incidentId, service, min(occurred_at) AS openedAt, argMin(title, occurred_at) AS title,
        argMin(severity, occurred_at) AS severity, max(caused_by) AS causedBy
      FROM incident_events
      WHERE environment = {environment:String}
        AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')} + INTERVAL 1 DAY
      GROUP BY incident_id, service
      HAVING openedAt >= {from:DateTime64(3, 'UTC')} AND openedAt < {to:DateTime64(3, 'UTC')}`,
    params: { ...scope, from: dateTimeParam(scope.from), to: dateTimeParam(scope.to) },
    rows: IncidentOpening,
  });
}
