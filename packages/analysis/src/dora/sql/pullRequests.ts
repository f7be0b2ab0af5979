/**
 * Every merged pull request of the services `{services:Array(String)}` that reached
 * `{environment:String}`, with its lead time split into stages: the rows of
 * `dora_pull_request_facts`. Built after the commit facts of the same build (the
 * expression `buildOfService` names it per service), which give each commit's first successful deployment and authored time.
 *
 * A pull request is identified by (service, repository, number) and needs an `opened` and
 * a `merged` step. It reached the environment with the first successful deployment that
 * carried one of its commits (listed, or as its version). Stages, in whole seconds, never
 * negative (clock skew counts as 0):
 * - coding: its first known commit authored -> opened; only when a commit of it authored
 *   at or before the opening is known (a merge commit alone says nothing about coding);
 * - pickup: opened -> first review (`reviewed` or `approved`), and review: first review ->
 *   merged; both only when it was reviewed before it merged;
 * - deploy: merged -> deployed.
 */
const seconds = (from: string, to: string) =>
  `toUInt32(intDiv(greatest(0, toUnixTimestamp64Milli(${to}) - toUnixTimestamp64Milli(${from})), 1000))`;

export const pullRequestStagesCte = (buildOfService: string) => `
pull_requests AS (
  SELECT service, repository, number,
    minIf(occurred_at, status = 'opened') AS opened_at,
    minIf(occurred_at, status IN ('reviewed', 'approved')) AS reviewed_at,
    minIf(occurred_at, status = 'merged') AS merged_at,
    countIf(status IN ('reviewed', 'approved')) > 0 AND reviewed_at <= merged_at AS reviewed,
    groupUniqArrayArray(commits) AS shas
  FROM pull_request_events
  WHERE has({services:Array(String)}, service)
  GROUP BY service, repository, number
  HAVING countIf(status = 'opened') > 0 AND countIf(status = 'merged') > 0
),
pr_commits AS (
  SELECT service, repository, number, arrayJoin(shas) AS sha FROM pull_requests
),
first_deployed AS (
  SELECT service, sha, deployment_id, team, authored_at, at FROM dora_commit_facts
  WHERE environment = {environment:String} AND definition = {definition:String}
    AND has({services:Array(String)}, service) AND build = ${buildOfService}
),
reached AS (
  -- Each commit of a pull request with the deployments that carried it, listed or as their version.
  SELECT c.service AS service, c.repository AS repository, c.number AS number, d.deployment_id AS deployment_id, d.team AS team, d.at AS at
  FROM pr_commits AS c INNER JOIN first_deployed AS d ON d.service = c.service AND d.sha = c.sha
  UNION ALL
  SELECT c.service, c.repository, c.number, d.deployment_id, d.team, d.status_at
  FROM pr_commits AS c
  INNER JOIN (
    SELECT service, version, deployment_id, team, status_at FROM deployments FINAL
    WHERE environment = {environment:String} AND has({services:Array(String)}, service) AND status = 'succeeded'
  ) AS d ON d.service = c.service AND d.version = c.sha
),
deployed AS (
  SELECT service, repository, number, argMin((deployment_id, team), (at, deployment_id)) AS first, min(at) AS deployed_at
  FROM reached GROUP BY service, repository, number
),
authored AS (
  -- The first known authored time of each pull request's commits, from deployments or pushes.
  SELECT c.service AS service, c.repository AS repository, c.number AS number, min(k.authored_at) AS first_commit_at
  FROM pr_commits AS c
  INNER JOIN (
    SELECT service, sha, authored_at FROM first_deployed
    UNION ALL
    SELECT service, sha, authored_at FROM commits WHERE has({services:Array(String)}, service)
  ) AS k ON k.service = c.service AND k.sha = c.sha
  GROUP BY service, repository, number
),
stages AS (
  SELECT p.service AS service, p.repository AS repository, p.number AS number,
    d.first.1 AS deployment_id, d.first.2 AS team, d.deployed_at AS at,
    a.number != 0 AND a.first_commit_at <= p.opened_at AS has_coding,
    if(has_coding, ${seconds("a.first_commit_at", "p.opened_at")}, 0) AS coding_seconds,
    p.reviewed AS has_review,
    if(has_review, ${seconds("p.opened_at", "p.reviewed_at")}, 0) AS pickup_seconds,
    if(has_review, ${seconds("p.reviewed_at", "p.merged_at")}, 0) AS review_seconds,
    ${seconds("p.merged_at", "d.deployed_at")} AS deploy_seconds
  FROM pull_requests AS p
  INNER JOIN deployed AS d ON d.service = p.service AND d.repository = p.repository AND d.number = p.number
  LEFT JOIN authored AS a ON a.service = p.service AND a.repository = p.repository AND a.number = p.number
)`;

