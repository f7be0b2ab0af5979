/**
 * Every deployment of the services `{services:Array(String)}` in `{environment:String}`,
 * over their whole history, with whether it failed, why, on what evidence, and when it
 * recovered: the rows of `dora_deployment_facts` (facts.ts builds them, queries.ts reads
 * them). `{windowSeconds:UInt32}` is the incident window; `{detectRollbacks:Bool}` turns
 * on rollbacks detected from versions; `{countRegressions:Bool}` metric regressions;
 * `{breakingIds}`, `{brokenUsecases}` and `{fixingIds}` (Array(String), one entry per
 * break) are the use-case breaks that count as failures, empty unless
 * DRUMBEAT_CFR_COUNT_USECASE_BREAKS (USECASE_BREAKS).
 *
 * A deployment is dated by its final status (`status_at`); in-progress ones (`started`)
 * are not counted yet.
 */
/** "No such time": later than any event, so it never wins a minimum. */
export const NEVER = "toDateTime64('2299-12-31 00:00:00', 3, 'UTC')";

/** The services' deployments with a final status, numbered in order per service (`seq`). */
const PROD = `
prod AS (
  SELECT deployment_id, service, team, kind, rolls_back, version, url, status, status_at AS at,
    row_number() OVER following AS seq,
    leadInFrame(kind, 1, '') OVER following AS next_kind,
    leadInFrame(deployment_id, 1, '') OVER following AS next_id,
    leadInFrame(url, 1, '') OVER following AS next_url
  FROM deployments FINAL
  WHERE environment = {environment:String}
    AND has({services:Array(String)}, service) AND status != 'started'
  WINDOW following AS (PARTITION BY service ORDER BY status_at, deployment_id
    ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)
)`;

/**
 * Incidents of the services, and other services' incidents naming one of their
 * deployments; each with its usable cause. A causedBy is unusable when no deployment of
 * that id exists in the environment (`cause_unknown`) or it started after the incident
 * opened (`cause_after_opening`): the incident is then treated as naming no cause.
 */
const INCIDENTS = `
incidents AS (
  SELECT incident_id, service, environment, argMax(team, (team != '', occurred_at)) AS team, min(occurred_at) AS opened_at,
    countIf(status = 'resolved') > 0 AS resolved, minIf(occurred_at, status = 'resolved') AS resolved_at,
    argMax(caused_by, (caused_by != '', occurred_at)) AS named_cause,
    argMax(title, (title != '', occurred_at)) AS title, argMax(url, (url != '', occurred_at)) AS url
  FROM incident_events
  WHERE has({services:Array(String)}, service)
    OR incident_id IN (SELECT incident_id FROM incident_events WHERE caused_by IN (SELECT deployment_id FROM prod))
  GROUP BY incident_id, service, environment
),
named AS (
  -- When each named deployment started, whatever its service.
  SELECT deployment_id, min(occurred_at) AS started_at FROM deployment_events
  WHERE environment = {environment:String}
    AND deployment_id IN (SELECT named_cause FROM incidents WHERE named_cause != '')
  GROUP BY deployment_id
),
judged AS (
  SELECT i.*,
    multiIf(i.named_cause = '', '', n.deployment_id = '', 'cause_unknown', n.started_at > i.opened_at, 'cause_after_opening', '') AS cause_problem,
    if(cause_problem = '', i.named_cause, '') AS caused_by
  FROM incidents AS i
  LEFT JOIN named AS n ON n.deployment_id = i.named_cause
)`;

/**
 * DRUMBEAT_CFR_COUNT_REGRESSIONS (`{countRegressions:Bool}`): the metrics that a
 * deployment's last impact computation (packages/analysis/src/correlation) found regressed
 * after it, before/after comparison only, one piece of evidence each titled
 * "metric regression: <metric> +x%" (the change of medians; from/to when the median
 * before was 0). Whatever the number of metrics, the deployment fails once.
 */
const METRIC_REGRESSIONS = `
regressions AS (
  SELECT deployment_id, ['metric_regression'] AS metric_reasons,
    arraySort(e -> e.3, groupArray(('metric_regression', 'metric', metric, concat('metric regression: ', metric, ' ', change), ''))) AS metric_evidence
  FROM (
    SELECT deployment_id, metric,
      if(isNaN(relative_change),
        concat('from ', toString(round(median_a, 4)), ' to ', toString(round(median_b, 4))),
        concat(if(relative_change >= 0, '+', ''), toString(round(relative_change * 100)), '%')) AS change
    FROM deployment_impacts FINAL
    WHERE {countRegressions:Bool} AND environment = {environment:String} AND has({services:Array(String)}, service)
      AND comparison = 'before_after' AND verdict = 'regressed'
      AND (service, deployment_id, computed_at) IN (
        SELECT service, deployment_id, max(computed_at) FROM deployment_impact_builds
        WHERE environment = {environment:String} AND has({services:Array(String)}, service)
        GROUP BY service, deployment_id)
  )
  GROUP BY deployment_id
)`;

/**
 * Use cases each deployment broke, as the walk in usecases/attribution.ts found them
 * (non-flaky breaks only; usecases/changeFailures.ts): one piece of evidence per use case,
 * and when the last of them was fixed (NEVER while one is still broken).
 */
const USECASE_BREAKS = `
usecase_breaks AS (
  SELECT b.deployment_id AS deployment_id,
    arraySort(groupArray(('usecase_broken', 'usecase', b.usecase, concat('use case broken: ', b.usecase), ''))) AS evidence,
    max(if(f.deployment_id = '', ${NEVER}, f.at)) AS fixed_at
  FROM (
    SELECT t.1 AS deployment_id, t.2 AS usecase, t.3 AS fixing_id
    FROM (SELECT arrayJoin(arrayZip({breakingIds:Array(String)}, {brokenUsecases:Array(String)}, {fixingIds:Array(String)})) AS t)
  ) AS b
  LEFT JOIN prod AS f ON f.deployment_id = b.fixing_id
  GROUP BY b.deployment_id
)`;

export const OUTCOMES_CTE = `${PROD},
${USECASE_BREAKS},
rollbacks AS (
  SELECT rolls_back AS target, 1 AS declared, argMin((deployment_id, url), (at, deployment_id)) AS first_rollback,
    minIf(at, status = 'succeeded') AS completed_at, countIf(status = 'succeeded') > 0 AS completed
  FROM prod WHERE rolls_back != '' GROUP BY rolls_back
),
redeploys AS (
  -- Successful deployments, each with the last earlier success of its version (0: none)
  -- and the version of the success just before it.
  SELECT deployment_id, service, version, url, at, seq, rolls_back,
    max(seq) OVER (PARTITION BY service, version ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_seq,
    lagInFrame(version, 1, '') OVER (PARTITION BY service ORDER BY seq ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS previous_version
  FROM prod WHERE status = 'succeeded'
),
detected AS (
  -- A redeploy of a version that succeeded before, other than the one just before it, rolls
  -- back every deployment in between; one that declares rollsBack is a declared rollback instead.
  SELECT deployment_id, service, version, url, at, earlier_seq, seq
  FROM redeploys
  WHERE {detectRollbacks:Bool} AND rolls_back = '' AND earlier_seq > 0 AND version != previous_version
),
redeployed AS (
  -- Each deployment a detected rollback covers, with the first one that covers it.
  SELECT service, target_seq, argMin((deployment_id, version, url), (at, deployment_id)) AS first_redeploy, min(at) AS completed_at
  FROM detected ARRAY JOIN range(earlier_seq + 1, seq) AS target_seq
  GROUP BY service, target_seq
),
${INCIDENTS},
incident_links AS (
  SELECT caused_by AS deployment_id, 'incident_caused_by' AS reason, incident_id, title, url, opened_at, resolved, resolved_at
  FROM judged WHERE caused_by != ''
  UNION ALL
  -- Incidents naming no usable cause: ASOF, the last deployment of the incident's service
  -- at or before it opened, so the incident opened after that deployment and before the next one.
  SELECT d.deployment_id, 'incident_in_window', i.incident_id, i.title, i.url, i.opened_at, i.resolved, i.resolved_at
  FROM (SELECT * FROM judged WHERE caused_by = '' AND environment = {environment:String} AND {windowSeconds:UInt32} > 0) AS i
  ASOF INNER JOIN prod AS d ON i.service = d.service AND i.opened_at >= d.at
  WHERE i.opened_at < d.at + toIntervalSecond({windowSeconds:UInt32})
),
links AS (
  SELECT deployment_id, arraySort(groupUniqArray(reason)) AS incident_reasons,
    arraySort(e -> (e.1, e.3), groupArray((reason, 'incident', incident_id, title, url))) AS incident_evidence,
    min(opened_at) AS first_opened, countIf(resolved) > 0 AS any_resolved, minIf(resolved_at, resolved) AS first_resolved
  FROM incident_links GROUP BY deployment_id
),
${METRIC_REGRESSIONS},
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
    p.deployment_id IN (SELECT deployment_id FROM detected) AS redeploy,
    p.kind = 'rollback' OR redeploy AS is_rollback,
    -- The evidence of the deployment-side rules: (reason, kind, id, title, url).
    arrayConcat(arrayFilter(e -> e.1 != '', [
      (if(p.status = 'failed', 'failed_status', ''), 'deployment', p.deployment_id, 'final status failed', p.url),
      (if(p.status = 'rolled_back', 'rolled_back_status', ''), 'deployment', p.deployment_id, 'final status rolled_back', p.url),
      (if(r.declared = 1, 'rolled_back_by', ''), 'deployment', r.first_rollback.1, 'declares rollsBack', r.first_rollback.2),
      (if(x.target_seq != 0, 'rolled_back_by_redeploy', ''), 'deployment', x.first_redeploy.1,
        concat('rolled back by redeploying ', x.first_redeploy.2), x.first_redeploy.3),
      -- A hotfix after a rollback fixes what the rollback undid, a failure already counted.
      (if(p.next_kind = 'hotfix' AND NOT is_rollback, 'followed_by_hotfix', ''), 'deployment', p.next_id, 'the next deployment is a hotfix', p.next_url)
    ]), u.evidence) AS deployment_evidence,
    -- Once each: several use cases broken by one deployment are one reason.
    arrayDistinct(arrayMap(e -> e.1, deployment_evidence)) AS deployment_reasons,
    arrayConcat(deployment_reasons, g.metric_reasons, l.incident_reasons) AS reasons,
    arrayConcat(deployment_evidence, g.metric_evidence, l.incident_evidence) AS evidence,
    length(reasons) > 0 AS failed,
    -- The failure begins with the deployment, or with the incident when only incidents name it.
    multiIf(p.status = 'rolled_back', if(v.deployment_id = '', p.at, v.live_at),
      length(deployment_reasons) > 0 OR length(g.metric_reasons) > 0, p.at, l.first_opened) AS failed_at,
    least(if(r.completed, r.completed_at, ${NEVER}), if(x.target_seq != 0, x.completed_at, ${NEVER})) AS rollback_at,
    l.any_resolved AS incident_resolved, l.first_resolved AS incident_resolved_at,
    u.deployment_id != '' AS broke_usecases, u.fixed_at AS usecases_fixed_at
  FROM prod AS p
  LEFT JOIN rollbacks AS r ON r.target = p.deployment_id
  LEFT JOIN redeployed AS x ON x.service = p.service AND x.target_seq = p.seq
  LEFT JOIN links AS l ON l.deployment_id = p.deployment_id
  LEFT JOIN regressions AS g ON g.deployment_id = p.deployment_id
  LEFT JOIN live AS v ON v.deployment_id = p.deployment_id
  LEFT JOIN usecase_breaks AS u ON u.deployment_id = p.deployment_id
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
      (s.rollback_at, 'rollback'),
      (if(s.status = 'rolled_back', s.at, ${NEVER}), 'rollback'),
      (if(k.killed_at >= s.failed_at, k.killed_at, ${NEVER}), 'flag_kill'),
      (if(s.incident_resolved, s.incident_resolved_at, ${NEVER}), 'incident_resolved'),
      -- A use case it broke is fixed by a deployment: the one that fixed the last of them.
      (if(s.broke_usecases, s.usecases_fixed_at, s.next_good_at), 'deployment')
    ]) AS candidates,
    arraySort((c, i) -> (c.1, i), candidates, arrayEnumerate(candidates))[1] AS first_recovery,
    s.failed AND first_recovery.1 < ${NEVER} AS recovered,
    first_recovery.1 AS recovered_at,
    first_recovery.2 AS recovered_by,
    -- Whole seconds, like the lead time.
    if(recovered, intDiv(toUnixTimestamp64Milli(recovered_at) - toUnixTimestamp64Milli(s.failed_at), 1000), 0) AS recovery_seconds,
    -- How the deployment counts: frequency counts successful deployments, rollbacks (declared
    -- or detected) apart; rework is every rollback or hotfix, whatever its status.
    s.status = 'succeeded' AND NOT s.is_rollback AS deployed,
    s.status = 'succeeded' AND s.is_rollback AS rollback_deployed,
    s.is_rollback OR s.kind = 'hotfix' AS rework
  FROM sequenced AS s
  ASOF LEFT JOIN kills AS k ON s.service = k.service AND s.failed_at <= k.killed_at
)`;

/**
 * What the figures of the services leave out, one row per item, dated (`at`) so a range
 * counts its own (rows of `dora_quality_facts`): incidents whose causedBy is unusable,
 * successful deployments that carried no known commit, and deployments and incidents
 * dated after the build (`{builtAt}`), which no range up to now counts.
 */
export const QUALITY_CTE = `${PROD},
${INCIDENTS},
uncarried AS (
  SELECT p.service AS service, p.team AS team, p.deployment_id AS deployment_id, p.at AS at
  FROM prod AS p
  WHERE p.status = 'succeeded'
    AND (p.service, p.deployment_id) NOT IN (
      SELECT service, deployment_id FROM deployment_commits
      WHERE environment = {environment:String} AND has({services:Array(String)}, service))
    AND (p.service, p.version) NOT IN (SELECT service, sha FROM commits WHERE has({services:Array(String)}, service))
),
quality AS (
  SELECT service, team, cause_problem AS issue, incident_id AS subject, opened_at AS at FROM judged
  WHERE cause_problem != '' AND environment = {environment:String} AND has({services:Array(String)}, service)
  UNION ALL
  SELECT service, team, 'deployment_without_commits', deployment_id, at FROM uncarried
  UNION ALL
  SELECT service, team, 'event_in_future', deployment_id, at FROM prod WHERE at > {builtAt:DateTime64(3, 'UTC')}
  UNION ALL
  SELECT service, team, 'event_in_future', incident_id, opened_at FROM judged
  WHERE opened_at > {builtAt:DateTime64(3, 'UTC')} AND environment = {environment:String} AND has({services:Array(String)}, service)
)`;
