/**
 * Every deployment of the services `{services:Array(String)}` in `{environment:String}`,
 * over their whole history, with whether it failed, why, and when it recovered: the
 * rows of `dora_deployment_facts` (facts.ts builds them, queries.ts reads them).
 * `{windowSeconds:UInt32}` is the incident window.
 *
 * A deployment is dated by its final status (`status_at`); in-progress ones (`started`)
 * are not counted yet.
 */
/** "No such time": later than any event, so it never wins a minimum. */
export const NEVER = "toDateTime64('2299-12-31 00:00:00', 3, 'UTC')";

export const OUTCOMES_CTE = `
prod AS (
  SELECT deployment_id, service, team, kind, rolls_back, status, status_at AS at,
    leadInFrame(kind, 1, '') OVER following AS next_kind
  FROM deployments FINAL
  WHERE environment = {environment:String}
    AND has({services:Array(String)}, service) AND status != 'started'
  WINDOW following AS (PARTITION BY service ORDER BY status_at, deployment_id
    ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)
),
rollbacks AS (
  SELECT rolls_back AS target, 1 AS declared,
    minIf(at, status = 'succeeded') AS completed_at, countIf(status = 'succeeded') > 0 AS completed
  FROM prod WHERE rolls_back != '' GROUP BY rolls_back
),
incidents AS (
  SELECT incident_id, service, environment, min(occurred_at) AS opened_at,
    countIf(status = 'resolved') > 0 AS resolved, minIf(occurred_at, status = 'resolved') AS resolved_at,
    argMax(caused_by, (caused_by != '', occurred_at)) AS caused_by
  FROM incident_events
  -- The services' incidents, and other services' incidents that name one of their deployments.
  WHERE has({services:Array(String)}, service)
    OR incident_id IN (SELECT incident_id FROM incident_events WHERE caused_by IN (SELECT deployment_id FROM prod))
  GROUP BY incident_id, service, environment
),
incident_links AS (
  SELECT caused_by AS deployment_id, 'incident_caused_by' AS reason, opened_at, resolved, resolved_at
  FROM incidents WHERE caused_by != ''
  UNION ALL
  -- ASOF: the last deployment of the incident's service at or before it opened, so the
  -- incident opened after that deployment and before the next one.
  SELECT d.deployment_id, 'incident_in_window', i.opened_at, i.resolved, i.resolved_at
  FROM (SELECT * FROM incidents WHERE environment = {environment:String} AND {windowSeconds:UInt32} > 0) AS i
  ASOF INNER JOIN prod AS d ON i.service = d.service AND i.opened_at >= d.at
  WHERE i.opened_at < d.at + toIntervalSecond({windowSeconds:UInt32})
),
links AS (
  SELECT deployment_id, arraySort(groupUniqArray(reason)) AS incident_reasons, min(opened_at) AS first_opened,
    countIf(resolved) > 0 AS any_resolved, minIf(resolved_at, resolved) AS first_resolved
  FROM incident_links GROUP BY deployment_id
),
live AS (
  -- When a deployment whose own status is rolled_back first went live (or failed).
  SELECT deployment_id, min(occurred_at) AS live_at
  FROM deployment_events
  WHERE environment = {environment:String} AND status != 'started'
    AND (service, deployment_id) IN (SELECT service, deployment_id FROM prod WHERE status = 'rolled_back')
  GROUP BY deployment_id
),
classified AS (
  SELECT p.deployment_id AS deployment_id, p.service AS service, p.team AS team, p.kind AS kind,
    p.status AS status, p.at AS at,
    arrayFilter(r -> r != '', [
      if(p.status = 'failed', 'failed_status', ''),
      if(p.status = 'rolled_back', 'rolled_back_status', ''),
      if(r.declared = 1, 'rolled_back_by', ''),
      if(p.next_kind = 'hotfix', 'followed_by_hotfix', '')]) AS deployment_reasons,
    arrayConcat(deployment_reasons, l.incident_reasons) AS reasons,
    length(reasons) > 0 AS failed,
    -- The failure begins with the deployment, or with the incident when only incidents name it.
    multiIf(p.status = 'rolled_back', if(v.deployment_id = '', p.at, v.live_at),
      length(deployment_reasons) > 0, p.at, l.first_opened) AS failed_at,
    r.completed AS rollback_completed, r.completed_at AS rollback_at,
    l.any_resolved AS incident_resolved, l.first_resolved AS incident_resolved_at
  FROM prod AS p
  LEFT JOIN rollbacks AS r ON r.target = p.deployment_id
  LEFT JOIN links AS l ON l.deployment_id = p.deployment_id
  LEFT JOIN live AS v ON v.deployment_id = p.deployment_id
),
sequenced AS (
  SELECT *,
    -- The next successful deployment of the service that did not fail itself.
    min(if(failed = 0 AND status = 'succeeded', at, ${NEVER})) OVER (
      PARTITION BY service ORDER BY at, deployment_id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_good_at
  FROM classified
),
kills AS (
  SELECT service, occurred_at AS killed_at FROM flag_events
  WHERE environment = {environment:String} AND action = 'disabled'
    AND has({services:Array(String)}, service)
),
outcomes AS (
  SELECT s.*,
    -- Recovery candidates at or after the failure, earliest first; on a tie the first listed names it.
    arrayFilter(c -> c.1 >= s.failed_at, [
      (if(s.rollback_completed, s.rollback_at, ${NEVER}), 'rollback'),
      (if(s.status = 'rolled_back', s.at, ${NEVER}), 'rollback'),
      (if(k.killed_at >= s.failed_at, k.killed_at, ${NEVER}), 'flag_kill'),
      (if(s.incident_resolved, s.incident_resolved_at, ${NEVER}), 'incident_resolved'),
      (s.next_good_at, 'deployment')
    ]) AS candidates,
    arraySort((c, i) -> (c.1, i), candidates, arrayEnumerate(candidates))[1] AS first_recovery,
    s.failed AND first_recovery.1 < ${NEVER} AS recovered,
    first_recovery.1 AS recovered_at,
    first_recovery.2 AS recovered_by,
    -- Whole seconds, like the lead time.
    if(recovered, intDiv(toUnixTimestamp64Milli(recovered_at) - toUnixTimestamp64Milli(s.failed_at), 1000), 0) AS recovery_seconds,
    -- How the deployment counts: frequency counts successful deployments, rollbacks apart;
    -- rework is every rollback or hotfix, whatever its status.
    s.status = 'succeeded' AND s.kind != 'rollback' AS deployed,
    s.status = 'succeeded' AND s.kind = 'rollback' AS rollback_deployed,
    s.kind IN ('rollback', 'hotfix') AS rework
  FROM sequenced AS s
  ASOF LEFT JOIN kills AS k ON s.service = k.service AND s.failed_at <= k.killed_at
)`;
