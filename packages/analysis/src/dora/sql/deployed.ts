/**
 * The current state of every deployment whose final status is at or after `scanFrom`,
 * equal to `deployments FINAL` for those rows but read from `deployment_events`, which is
 * partitioned by month: only the months from `scanFrom` on are read, not the history.
 *
 * Exact: a deployment's state is its latest lifecycle event (by time, then by how final
 * the status is: the `row_version` of `deployments_mv`), so a deployment dated at or
 * after `scanFrom` has that event in the months read, and one dated before has none.
 * Duplicate events cannot move a maximum.
 */
export const DEPLOYED_CTE = `
deployed AS (
  SELECT deployment_id, service, latest.1 AS team, latest.2 AS kind, latest.3 AS rolls_back, latest.4 AS status,
    latest.5 AS version, at
  FROM (
    SELECT deployment_id, service, max(occurred_at) AS at,
      argMax((team, kind, rolls_back, status, version), (occurred_at, indexOf(['succeeded', 'failed', 'rolled_back'], status))) AS latest
    FROM deployment_events
    WHERE environment = {environment:String}
      AND ({service:String} = '' OR service = {service:String})
      AND occurred_at >= {scanFrom:DateTime64(3)}
    GROUP BY service, deployment_id
  )
)`;
