/**
 * Every commit of the services `{services:Array(String)}` ever deployed successfully to
 * `{environment:String}`, with its lead time: the rows of `dora_commit_facts`. A commit
 * is identified by (service, sha): it counts once, at the first successful deployment
 * that carried it. Its start is its authored time; a deployment that lists no commits
 * still carries its `version` when a push event made that commit known (`commits`). A commit
 * one of a pull request's commits (`in_pull_request`) is also counted in that pull request's
 * stages (pullRequests.ts); the others were pushed without one.
 */
export const LEAD_TIMES_CTE = `
shipped AS (
  SELECT deployment_id, service, team, version, status_at AS at
  FROM deployments FINAL
  WHERE environment = {environment:String}
    AND has({services:Array(String)}, service) AND status = 'succeeded'
),
carried AS (
  SELECT c.service AS service, c.sha AS sha, c.authored_at AS authored_at,
    d.deployment_id AS deployment_id, d.team AS team, d.at AS deployed_at
  FROM deployment_commits AS c
  INNER JOIN shipped AS d ON c.service = d.service AND c.deployment_id = d.deployment_id
  WHERE c.environment = {environment:String} AND has({services:Array(String)}, c.service)
  UNION ALL
  SELECT d.service, k.sha, k.authored_at, d.deployment_id, d.team, d.at
  FROM shipped AS d
  INNER JOIN commits AS k ON k.service = d.service AND k.sha = d.version
),
first_deployed AS (
  SELECT service, sha, min(authored_at) AS authored, argMin((deployment_id, team), (deployed_at, deployment_id)) AS first,
    min(deployed_at) AS first_at
  FROM carried
  GROUP BY service, sha
),
lead_times AS (
  SELECT service, sha, first.1 AS deployment_id, first.2 AS team, authored AS authored_at, first_at AS at,
    -- Whole seconds (git records commit times to the second); a commit authored after its
    -- deployment (clock skew) counts as zero, not negative.
    intDiv(greatest(0, toUnixTimestamp64Milli(first_at) - toUnixTimestamp64Milli(authored)), 1000) AS lead_seconds,
    (service, sha) IN (
      SELECT service, arrayJoin(commits) FROM pull_request_events WHERE has({services:Array(String)}, service)
    ) AS in_pull_request
  FROM first_deployed
)`;
