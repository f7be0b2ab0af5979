import { NEVER } from "../../dora/sql/outcomes.ts";

/**
 * What the release insights read beside each deployment's DORA outcome, built in the same
 * statement as `dora_deployment_facts` (dora/sql/facts.ts, columns of clickhouse/0070):
 * after OUTCOMES_CTE, `released` is `outcomes` with the batch, the strategy and canary
 * steps, the flag release and the promotion path of each deployment. Parameters: those of
 * a build (environment, services).
 */
export const RELEASED_CTE = `
lifecycle AS (
  -- What the deployment's events said, whichever event said it; each canary weight at the
  -- first time it was reached, in order of time (a weight of 0 is no step: an abort).
  SELECT service AS lifecycle_service, deployment_id,
    argMax(version, last_at) AS version,
    argMax(artifact, (artifact != '', last_at)) AS artifact,
    argMax(strategy, (strategy != '', last_at)) AS strategy,
    max(commits) AS commit_count,
    arraySort(s -> (s.2, s.1), groupArrayIf((canary_weight, first_at), canary_weight > 0)) AS canary_steps
  FROM (
    SELECT service, deployment_id, canary_weight, min(occurred_at) AS first_at, max(occurred_at) AS last_at,
      argMax(version, occurred_at) AS version,
      argMax(artifact, (artifact != '', occurred_at)) AS artifact,
      argMax(strategy, (strategy != '', occurred_at)) AS strategy,
      max(commit_count) AS commits
    FROM deployment_events
    WHERE environment = {environment:String} AND has({services:Array(String)}, service)
    GROUP BY service, deployment_id, canary_weight
  )
  GROUP BY service, deployment_id
),
arrivals AS (
  -- When each artifact (else version) of the services first succeeded in each environment.
  SELECT service, if(artifact != '', artifact, version) AS shipped, environment, min(status_at) AS first_at
  FROM deployments FINAL
  WHERE has({services:Array(String)}, service) AND status = 'succeeded' AND environment != {environment:String}
  GROUP BY service, shipped, environment
),
paths AS (
  -- Named apart from the deployment's columns, so that the join's output keeps their names.
  SELECT service AS path_service, shipped, arraySort(s -> (s.2, s.1), groupArray((environment, first_at))) AS path
  FROM arrivals GROUP BY service, shipped
),
builds_of_version AS (
  -- Each version's artifacts, in any environment, with when each first ran.
  SELECT service AS version_service, version AS built_version, groupArray((artifact, first_at)) AS artifacts
  FROM (
    SELECT service, version, artifact, min(status_at) AS first_at FROM deployments FINAL
    WHERE has({services:Array(String)}, service) AND artifact != '' AND status != 'started'
    GROUP BY service, version, artifact
  )
  GROUP BY service, version
),
enables AS (
  SELECT service AS flag_service, occurred_at AS enabled_at FROM flag_events
  WHERE environment = {environment:String} AND action IN ('enabled', 'rollout') AND has({services:Array(String)}, service)
),
ordered AS (
  SELECT o.*, l.version AS version, l.artifact AS artifact, l.strategy AS strategy, l.commit_count AS commit_count,
    l.canary_steps AS canary_steps,
    lagInFrame(o.at, 1, toDateTime64(0, 3, 'UTC')) OVER (PARTITION BY o.service ORDER BY o.at, o.deployment_id
      ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS previous_at,
    leadInFrame(o.at, 1, ${NEVER}) OVER (PARTITION BY o.service ORDER BY o.at, o.deployment_id
      ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next_at
  FROM outcomes AS o
  LEFT JOIN lifecycle AS l ON l.lifecycle_service = o.service AND l.deployment_id = o.deployment_id
),
released AS (
  SELECT d.*,
    if(previous_at = toDateTime64(0, 3, 'UTC'), -1,
      intDiv(toUnixTimestamp64Milli(d.at) - toUnixTimestamp64Milli(previous_at), 1000)) AS since_previous_seconds,
    -- The first enable at or after the deployment (ASOF), before the next deployment.
    e.enabled_at >= d.at AND e.enabled_at < d.next_at AS flag_released,
    arrayFilter(s -> s.2 <= d.at, pa.path) AS promotion_path,
    d.artifact != '' AND arrayExists(a -> a.1 != d.artifact AND a.2 < d.at, b.artifacts) AS rebuilt
  FROM ordered AS d
  ASOF LEFT JOIN enables AS e ON d.service = e.flag_service AND d.at <= e.enabled_at
  LEFT JOIN paths AS pa ON pa.path_service = d.service AND pa.shipped = if(d.artifact != '', d.artifact, d.version)
  LEFT JOIN builds_of_version AS b ON b.version_service = d.service AND b.built_version = d.version
)`;
