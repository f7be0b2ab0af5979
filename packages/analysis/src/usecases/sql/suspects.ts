/**
 * Suspect commits of breaks. Parameters: service, environment, and for DEPLOYED_COMMITS
 * the ranges (afters[i], uptos[i]] of deployment start times, for COMMITS_OF_DEPLOYMENTS
 * the deployments' ids, for PUSHED_COMMITS the pairs of versions breaks lie between.
 */

/**
 * The deployments started in any of the ranges, with the commits each carried (sha '' when
 * none). `deploys` is a scalar, computed once (a CTE is recomputed at each use).
 */
export const DEPLOYED_COMMITS = `
WITH (
  SELECT groupArray((deployment_id, started_at)) FROM (
    SELECT deployment_id, min(occurred_at) AS started_at
    FROM deployment_events
    WHERE environment = {environment:String} AND service = {service:String}
      -- Only a deployment with an event in the ranges' span can have started in a range (as
      -- in STARTED_BETWEEN, sql/runs.ts): the rows read follow the span, not the history.
      AND deployment_id IN (
        SELECT deployment_id FROM deployment_events
        WHERE environment = {environment:String} AND service = {service:String}
          AND occurred_at > arrayMin({afters:Array(DateTime64(3))}) AND occurred_at <= arrayMax({uptos:Array(DateTime64(3))}))
    GROUP BY deployment_id
    HAVING arrayExists((a, u) -> started_at > a AND started_at <= u, {afters:Array(DateTime64(3))}, {uptos:Array(DateTime64(3))}))
) AS deploys
SELECT d.1 AS deploymentId, d.2 AS deployedAt, c.sha AS sha, c.author AS author, c.message AS message, c.authored_at AS authoredAt
FROM (SELECT arrayJoin(deploys) AS d) AS started
LEFT JOIN (
  SELECT deployment_id, sha, author, message, authored_at FROM deployment_commits FINAL
  WHERE environment = {environment:String} AND service = {service:String}
    AND has(deploys.1, deployment_id)
) AS c ON c.deployment_id = started.d.1
ORDER BY deployedAt, authoredAt, sha`;

/** The commits each of the deployments (by id) carried. */
export const COMMITS_OF_DEPLOYMENTS = `
SELECT deployment_id AS deploymentId, sha, author, message, authored_at AS authoredAt
FROM deployment_commits FINAL
WHERE environment = {environment:String} AND service = {service:String} AND deployment_id IN {deploymentIds:Array(String)}
ORDER BY authoredAt, sha`;

/**
 * For breaks whose deployments named only their version: the commits seen on pushes to
 * the service authored after the commit of the last passing version, up to the breaking
 * version's, per break (`span`, 1-based in {fromVersions}/{toVersions}). Versions are
 * matched as SHA prefixes; when either is not a known commit, nothing (a NULL bound filters
 * every row). One query for every break: a use case's history can hold hundreds.
 */
export const PUSHED_COMMITS = `
WITH bounds AS (
  SELECT span,
    minOrNullIf(authored_at, startsWith(sha, {fromVersions:Array(String)}[span])) AS lower,
    maxOrNullIf(authored_at, startsWith(sha, {toVersions:Array(String)}[span])) AS upper
  FROM commits FINAL
  ARRAY JOIN arrayEnumerate({fromVersions:Array(String)}) AS span
  WHERE service = {service:String}
  GROUP BY span
)
SELECT b.span AS span, c.sha AS sha, c.author AS author, c.message AS message, c.authored_at AS authoredAt, '' AS deploymentId
FROM bounds AS b
CROSS JOIN (SELECT sha, author, message, authored_at FROM commits FINAL WHERE service = {service:String}) AS c
WHERE c.authored_at > b.lower AND c.authored_at <= b.upper
ORDER BY span, authoredAt, sha`;
