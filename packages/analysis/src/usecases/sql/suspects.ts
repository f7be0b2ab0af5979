/**
 * Suspect commits of breaks. Parameters: service, environment, and for DEPLOYED_COMMITS
 * the ranges (afters[i], uptos[i]] of deployment start times, for PUSHED_COMMITS the two
 * versions a break lies between.
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

/**
 * For deployments that named only their version: the commits seen on pushes to the
 * service authored after the commit of the last passing version, up to the breaking
 * version's. Versions are matched as SHA prefixes; when either is not a known commit,
 * nothing (a NULL bound filters every row).
 */
export const PUSHED_COMMITS = `
WITH
  (SELECT minOrNull(authored_at) FROM commits FINAL WHERE service = {service:String} AND startsWith(sha, {fromVersion:String})) AS lower,
  (SELECT maxOrNull(authored_at) FROM commits FINAL WHERE service = {service:String} AND startsWith(sha, {toVersion:String})) AS upper
SELECT sha, author, message, authored_at AS authoredAt, '' AS deploymentId
FROM commits FINAL
WHERE service = {service:String} AND authored_at > lower AND authored_at <= upper
ORDER BY authoredAt, sha`;
