/** Which copy of the results a read takes: every use case of a recent window, or some use cases. */
export type ResultSource = "window" | "usecases";
type ResultTable = "usecase_results_by_time" | "usecase_results";
const TABLES: Record<ResultSource, ResultTable> = { window: "usecase_results_by_time", usecases: "usecase_results" };

/**
 * The deployments of the scope started in [since, until], each dated by its first event,
 * with its latest version and kind. Only a deployment with an event in the range can have
 * started in it: those are found in the range's partitions, then dated by key over all
 * their events, so the rows read follow the range, not the service's history.
 */
const STARTED_BETWEEN = `
SELECT deployment_id AS deploymentId, argMax(version, occurred_at) AS version, argMax(kind, occurred_at) AS kind,
  min(occurred_at) AS deployedAt
FROM deployment_events
WHERE environment = {environment:String} AND service = {service:String}
  AND deployment_id IN (
    SELECT deployment_id FROM deployment_events
    WHERE environment = {environment:String} AND service = {service:String}
      AND occurred_at >= {since:DateTime64(3)} AND occurred_at <= {until:DateTime64(3)})
GROUP BY deployment_id
HAVING deployedAt >= {since:DateTime64(3)} AND deployedAt <= {until:DateTime64(3)}`;

/**
 * Use-case results in deployment order, for one service and environment. Parameters:
 * service, environment, usecases ([] for all), and the deployments read: those started in
 * [since, until]. Results are read from an hour before `since` (a result may be dated a
 * little before its deployment started) up to `resultsUntil` (a day after `until`).
 *
 * `results` come from `usecase_results_by_time` for every use case of a recent window
 * (sorted by time: the range read does not grow with the history), from
 * `usecase_results` for named ones (sorted by use case: a whole history stays cheap);
 * the two hold the same rows (clickhouse/0050).
 *
 * `dated` (and `deploys`, its rows): the deployments of the window (STARTED_BETWEEN), as
 * a scalar subquery, so they are dated once per query however often they are used (a CTE
 * is recomputed at each use). `linked`: each result with the deployment it
 * ran against: the id it names, or for a result that names only a version, the latest
 * deployment of that version started at or before the result (else the first one of that
 * version). A result whose deployment is not stored yet links to nothing until the
 * deployment arrives: linking happens on every read, so nothing needs rewriting when it does.
 */
const linkedCte = (table: ResultTable) => `
(SELECT groupArray((deploymentId, version, kind, deployedAt)) FROM (${STARTED_BETWEEN})) AS dated,
deploys AS (
  SELECT d.1 AS deployment_id, d.2 AS version, d.3 AS kind, d.4 AS started_at FROM system.one ARRAY JOIN dated AS d
),
first_of_version AS (
  SELECT version, argMin(deployment_id, (started_at, deployment_id)) AS deployment_id FROM deploys GROUP BY version
),
results AS (
  SELECT usecase, suite, status, occurred_at, error, deployment_id, version
  FROM ${table} FINAL
  WHERE environment = {environment:String} AND service = {service:String}
    AND (empty({usecases:Array(String)}) OR usecase IN {usecases:Array(String)})
    AND occurred_at >= {since:DateTime64(3)} - toIntervalHour(1) AND occurred_at <= {resultsUntil:DateTime64(3)}
),
linked AS (
  SELECT usecase, suite, status, occurred_at, error, deployment_id FROM results WHERE deployment_id != ''
  UNION ALL
  -- Only the results that name no deployment are joined: a join probes every row it is given.
  SELECT r.usecase, r.suite, r.status, r.occurred_at, r.error, if(a.deployment_id != '', a.deployment_id, f.deployment_id)
  FROM (SELECT * FROM results WHERE deployment_id = '') AS r
  ASOF LEFT JOIN deploys AS a ON r.version = a.version AND r.occurred_at >= a.started_at
  LEFT JOIN first_of_version AS f ON r.version = f.version
)`;

/** A deployment's field from `dated` by id (transform builds its lookup once per query). */
const datedField = (id: string, field: number, otherwise: string) =>
  `transform(${id}, arrayMap((d) -> d.1, dated), arrayMap((d) -> d.${field}, dated), ${otherwise})`;

/**
 * `cells`: per use case, one tuple per deployment of the window that ran it, in deployment
 * order: (deployedAt, deploymentId, passes, fails, skips, lastAt, error of its latest
 * failure, suite of its latest result). Built from one array of results per use case,
 * sorted and split at each deployment: grouping by (use case, deployment) first and then by
 * use case costs twice the hashing, and these reads go through every result of the window.
 * (A lambda only reads its own arguments: one that indexes another array copies it per element.)
 */
const cellsCte = (table: ResultTable) => `${linkedCte(table)},
ordered AS (
  SELECT usecase,
    arraySort(groupArray((${datedField("deployment_id", 4, "toDateTime64(0, 3, 'UTC')")}, deployment_id, status, occurred_at, error, suite))) AS results,
    arrayMap((r) -> r.2, results) AS ids
  FROM linked
  WHERE deployment_id IN (SELECT deployment_id FROM deploys)
  GROUP BY usecase
),
cells AS (
  SELECT usecase,
    arrayMap((g) -> (g[1].1, g[1].2,
        arrayCount((r) -> r.3 = 'pass', g), arrayCount((r) -> r.3 = 'fail', g), arrayCount((r) -> r.3 = 'skip', g),
        arrayMax((r) -> r.4, g), arrayReverseSort((r) -> r.4, arrayFilter((r) -> r.3 = 'fail', g))[1].5,
        arrayReverseSort((r) -> r.4, g)[1].6),
      arraySplit((r, next) -> next, results, arrayMap((id, before) -> id != before, ids, arrayPushFront(arrayPopBack(ids), '')))) AS cells
  FROM ordered
)`;

/**
 * Each use case's runs (deployments where it passed or failed), numbered in deployment
 * order, with its totals. With everyRun false only the runs at a change of outcome (and
 * each use case's first and last) come back: the walk in attribution.ts gives the same
 * answer from those, and a stable use case costs one or two rows instead of thousands.
 */
const runs = (table: ResultTable) => `
WITH ${cellsCte(table)},
runs AS (
  SELECT usecase,
    arrayFilter((c) -> c.3 + c.4 > 0, cells) AS list,
    arrayMap((c) -> multiIf(c.3 > 0 AND c.4 > 0, 'mixed', c.4 > 0, 'fail', 'pass'), list) AS outcomes,
    arrayMap((o, before, after) -> {everyRun:Bool} OR o != before OR o != after,
      outcomes, arrayPushFront(arrayPopBack(outcomes), ''), arrayPushBack(arrayPopFront(outcomes), '')) AS keep,
    arrayFilter((c, k) -> k, arrayZip(arrayEnumerate(list), list, outcomes), keep) AS kept,
    length(list) AS totalRuns, arraySum((c) -> c.3, list) AS totalPasses, arraySum((c) -> c.4, list) AS totalFails
  FROM cells
  WHERE totalRuns > 0
)
SELECT usecase, k.2.8 AS suite, k.2.2 AS deploymentId, ${datedField("k.2.2", 2, "''")} AS version, ${datedField("k.2.2", 3, "''")} AS kind,
  k.2.1 AS deployedAt, k.3 AS outcome, k.2.3 AS passes, k.2.4 AS fails, k.2.5 AS skips, k.2.6 AS lastAt, k.2.7 AS error,
  k.1 AS run, totalRuns, totalPasses, totalFails
FROM runs
ARRAY JOIN kept AS k
ORDER BY usecase, run`;
export const RUNS: Record<ResultSource, string> = { window: runs(TABLES.window), usecases: runs(TABLES.usecases) };

/** Results of the scope (or of some use cases) whose deployment is not stored yet. */
export const UNLINKED = `
WITH ${linkedCte(TABLES.usecases)}
SELECT count() AS unlinked FROM linked
WHERE deployment_id NOT IN (SELECT deployment_id FROM deploys)`;

/** The latest `limit` deployments started in [since, until], newest first. */
export const LATEST_DEPLOYMENTS = `${STARTED_BETWEEN}
ORDER BY deployedAt DESC, deploymentId DESC
LIMIT {limit:UInt32}`;

/** The first `limit` deployments started in [since, until], oldest first. */
export const EARLIEST_DEPLOYMENTS = `${STARTED_BETWEEN}
ORDER BY deployedAt, deploymentId
LIMIT {limit:UInt32}`;

/**
 * Each use case's outcome in each of the given deployments (results read from `since`):
 * one row per use case, its outcomes keyed by deployment id. A row per cell would cost
 * more to send and parse (60,000 for 2,000 use cases x 30) than to compute.
 */
export const MATRIX_CELLS = `
WITH ${linkedCte(TABLES.window)},
cells AS (
  SELECT usecase, deployment_id, argMax(suite, occurred_at) AS suite, max(occurred_at) AS last_at,
    multiIf(countIf(status = 'pass') > 0 AND countIf(status = 'fail') > 0, 'mixed', countIf(status = 'fail') > 0, 'fail',
      countIf(status = 'pass') > 0, 'pass', 'skip') AS outcome
  FROM linked
  WHERE deployment_id IN {deploymentIds:Array(String)}
  GROUP BY usecase, deployment_id
)
SELECT usecase, argMax(suite, last_at) AS suite, mapFromArrays(groupArray(deployment_id), groupArray(outcome)) AS outcomes
FROM cells
GROUP BY usecase`;
