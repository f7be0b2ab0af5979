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
 * `deploys`: each deployment of the scope, dated by its first event, with its latest
 * version and kind. `linked`: each result with the deployment it ran against: the id it
 * names, or for a result that names only a version, the latest deployment of that version
 * started at or before the result (else the first one of that version). A result whose
 * deployment is not stored yet links to nothing until the deployment arrives: linking
 * happens on every read, so nothing needs rewriting when it does.
 */
const linkedCte = (table: ResultTable) => `
deploys AS (
  SELECT deployment_id, argMax(version, occurred_at) AS version, argMax(kind, occurred_at) AS kind, min(occurred_at) AS started_at
  FROM deployment_events
  WHERE environment = {environment:String} AND service = {service:String}
  GROUP BY deployment_id
  HAVING started_at >= {since:DateTime64(3)} AND started_at <= {until:DateTime64(3)}
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
  SELECT r.usecase AS usecase, r.suite AS suite, r.status AS status, r.occurred_at AS occurred_at, r.error AS error,
    multiIf(r.deployment_id != '', r.deployment_id, a.deployment_id != '', a.deployment_id, f.deployment_id) AS deployment_id
  FROM results AS r
  ASOF LEFT JOIN deploys AS a ON r.version = a.version AND r.occurred_at >= a.started_at
  LEFT JOIN first_of_version AS f ON r.version = f.version
),
cells AS (
  SELECT usecase, argMax(suite, occurred_at) AS suite, deployment_id,
    countIf(status = 'pass') AS passes, countIf(status = 'fail') AS fails, countIf(status = 'skip') AS skips,
    max(occurred_at) AS last_at, argMaxIf(error, occurred_at, status = 'fail') AS error
  FROM linked
  GROUP BY usecase, deployment_id
)`;

/** Which copy of the results a read takes: every use case of a recent window, or some use cases. */
export type ResultSource = "window" | "usecases";
type ResultTable = "usecase_results_by_time" | "usecase_results";
const TABLES: Record<ResultSource, ResultTable> = { window: "usecase_results_by_time", usecases: "usecase_results" };

const DEPLOYMENT_REF = "d.deployment_id AS deploymentId, d.version AS version, d.kind AS kind, d.started_at AS deployedAt";

/**
 * Each use case's runs (deployments where it passed or failed), numbered in deployment
 * order, with its totals. With everyRun false only the runs at a change of outcome (and
 * each use case's first and last) come back: the walk in attribution.ts gives the same
 * answer from those, and a stable use case costs one or two rows instead of thousands.
 */
const runs = (table: ResultTable) => `
WITH ${linkedCte(table)},
runs AS (
  SELECT c.usecase AS usecase, c.suite AS suite, ${DEPLOYMENT_REF},
    multiIf(c.passes > 0 AND c.fails > 0, 'mixed', c.fails > 0, 'fail', 'pass') AS outcome,
    c.passes AS passes, c.fails AS fails, c.skips AS skips, c.last_at AS lastAt, c.error AS error
  FROM cells AS c INNER JOIN deploys AS d ON c.deployment_id = d.deployment_id
  WHERE c.passes + c.fails > 0
),
numbered AS (
  SELECT *,
    row_number() OVER w AS run,
    lagInFrame(outcome, 1, '') OVER w AS before,
    leadInFrame(outcome, 1, '') OVER w AS after,
    count() OVER u AS totalRuns, sum(passes) OVER u AS totalPasses, sum(fails) OVER u AS totalFails
  FROM runs
  WINDOW
    w AS (PARTITION BY usecase ORDER BY deployedAt, deploymentId ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
    u AS (PARTITION BY usecase)
)
SELECT usecase, suite, deploymentId, version, kind, deployedAt, outcome, passes, fails, skips, lastAt, error,
  run, totalRuns, totalPasses, totalFails
FROM numbered
WHERE {everyRun:Bool} OR outcome != before OR outcome != after
ORDER BY usecase, run`;
export const RUNS: Record<ResultSource, string> = { window: runs(TABLES.window), usecases: runs(TABLES.usecases) };

/** Results of the scope (or of some use cases) whose deployment is not stored yet. */
export const UNLINKED = `
WITH ${linkedCte(TABLES.usecases)}
SELECT count() AS unlinked FROM linked
WHERE deployment_id NOT IN (SELECT deployment_id FROM deploys)`;

/**
 * The start of the deployment `offset` places before the latest one started at or before
 * `before` (offset 0: that one itself); no row when there are fewer deployments.
 */
export const DEPLOYMENT_START_BEFORE = `
SELECT min(occurred_at) AS startedAt
FROM deployment_events
WHERE environment = {environment:String} AND service = {service:String}
GROUP BY deployment_id
HAVING startedAt <= {before:DateTime64(3)}
ORDER BY startedAt DESC, deployment_id DESC
LIMIT 1 OFFSET {offset:UInt32}`;

/** The start of the deployment `offset` places after the one started at `after`; no row when there are fewer. */
export const DEPLOYMENT_START_AFTER = `
SELECT min(occurred_at) AS startedAt
FROM deployment_events
WHERE environment = {environment:String} AND service = {service:String}
GROUP BY deployment_id
HAVING startedAt >= {after:DateTime64(3)}
ORDER BY startedAt, deployment_id
LIMIT 1 OFFSET {offset:UInt32}`;

/** The latest `limit` deployments of the scope, newest first. */
export const RECENT_DEPLOYMENTS = `
SELECT deployment_id AS deploymentId, argMax(version, occurred_at) AS version, argMax(kind, occurred_at) AS kind,
  min(occurred_at) AS deployedAt
FROM deployment_events
WHERE environment = {environment:String} AND service = {service:String}
GROUP BY deployment_id
ORDER BY deployedAt DESC, deploymentId DESC
LIMIT {limit:UInt32}`;

/**
 * Each use case's outcome in each of the given deployments (results read from `since`):
 * one row per use case, its outcomes keyed by deployment id. A row per cell would cost
 * more to send and parse (60,000 for 2,000 use cases x 30) than to compute.
 */
export const MATRIX_CELLS = `
WITH ${linkedCte(TABLES.window)}
SELECT usecase, any(suite) AS suite,
  mapFromArrays(groupArray(deployment_id),
    groupArray(multiIf(passes > 0 AND fails > 0, 'mixed', fails > 0, 'fail', passes > 0, 'pass', 'skip'))) AS outcomes
FROM cells
WHERE deployment_id IN {deploymentIds:Array(String)}
GROUP BY usecase`;
