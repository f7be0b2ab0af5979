import { DEPLOYED_CTE } from "./deployed.ts";

/**
 * Every commit whose first successful deployment to the environment falls in
 * [scanFrom, to), with its lead time. A commit is identified by (service, sha): it counts
 * once, at the first successful deployment that carried it. Its start is its authored
 * time; a deployment that lists no commits still carries its `version` when a push event
 * made that commit known (the `commits` table).
 *
 * Only the scan's deployments are grouped: the commits they carried are looked up by
 * deployment, and a commit also carried by a deployment outside the scan is dropped when
 * that deployment succeeded before scanFrom (checked for those few deployments only).
 */
export const LEAD_TIMES_CTE = `${DEPLOYED_CTE},
shipped AS (
  SELECT deployment_id, service, team, version, at FROM deployed
  WHERE status = 'succeeded' AND at < {to:DateTime64(3)}
),
carried AS (
  SELECT c.service AS service, c.sha AS sha, c.authored_at AS authored_at,
    d.deployment_id AS deployment_id, d.team AS team, d.at AS deployed_at
  FROM (
    SELECT service, deployment_id, sha, authored_at FROM deployment_commits
    WHERE environment = {environment:String} AND ({service:String} = '' OR service = {service:String})
      AND (service, deployment_id) IN (SELECT service, deployment_id FROM shipped)
  ) AS c
  INNER JOIN shipped AS d ON c.service = d.service AND c.deployment_id = d.deployment_id
  UNION ALL
  SELECT d.service, k.sha, k.authored_at, d.deployment_id, d.team, d.at
  FROM shipped AS d
  INNER JOIN commits AS k ON k.service = d.service AND k.sha = d.version
),
carried_elsewhere AS (
  -- Deployments dated before scanFrom that carried one of these commits (listed, or as their version).
  SELECT service, sha, deployment_id FROM deployment_commits
  WHERE environment = {environment:String} AND ({service:String} = '' OR service = {service:String})
    AND (service, sha) IN (SELECT service, sha FROM carried)
    AND (service, deployment_id) NOT IN (SELECT service, deployment_id FROM deployed)
  UNION ALL
  SELECT service, version, deployment_id FROM deployments
  WHERE environment = {environment:String} AND ({service:String} = '' OR service = {service:String})
    AND (service, version) IN (SELECT service, sha FROM commits WHERE (service, sha) IN (SELECT service, sha FROM carried))
    AND (service, deployment_id) NOT IN (SELECT service, deployment_id FROM deployed)
),
shipped_before AS (
  SELECT service, sha FROM carried_elsewhere
  WHERE (service, deployment_id) IN (
    SELECT service, deployment_id FROM deployments FINAL
    WHERE environment = {environment:String} AND status = 'succeeded' AND status_at < {scanFrom:DateTime64(3)}
      AND (service, deployment_id) IN (SELECT service, deployment_id FROM carried_elsewhere))
),
first_deployed AS (
  SELECT service, sha, min(authored_at) AS authored, argMin((deployment_id, team), (deployed_at, deployment_id)) AS first,
    min(deployed_at) AS first_at
  FROM carried
  WHERE (service, sha) NOT IN (SELECT service, sha FROM shipped_before)
  GROUP BY service, sha
),
lead_times AS (
  SELECT service, sha, first.1 AS deployment_id, first.2 AS team, authored AS authored_at, first_at AS at,
    -- A commit authored after its deployment (clock skew) counts as zero, not negative.
    greatest(0, (toUnixTimestamp64Milli(first_at) - toUnixTimestamp64Milli(authored)) / 1000) AS lead_seconds
  FROM first_deployed
  WHERE ({team:String} = '' OR first.2 = {team:String})
)`;
