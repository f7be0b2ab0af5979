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

/** `dated` from the window's deployments (STARTED_BETWEEN), sorted as deployments are ordered: by start, then id. */
const DATED_BETWEEN = `(SELECT arraySort((d) -> (d.4, d.1), groupArray((deploymentId, version, kind, deployedAt))) FROM (${STARTED_BETWEEN}))`;
/** `dated` from deployments the caller already read, given oldest first as parallel arrays. */
const DATED_GIVEN = `arrayZip({deploymentIds:Array(String)}, {versions:Array(String)}, {kinds:Array(String)}, {startedAts:Array(DateTime64(3, 'UTC'))})`;

/**
 * Use-case results of one service and environment, each with the `position` of its
 * deployment in `dated` (1 = the oldest; 0 = not one of them, or not stored yet).
 * Parameters: service, environment, usecases ([] for all), since, resultsUntil. Results are
 * read from an hour before `since` (a result may be dated a little before its deployment
 * started) up to `resultsUntil` (a day after the window's end).
 *
 * `dated`: the window's deployments as (id, version, kind, startedAt), a scalar computed
 * once per query (a CTE is recomputed at each use). A result names its deployment by id,
 * or only by version: then it ran against the latest deployment of that version started
 * at or before it, else the first one of that version. Positions are found per row by
 * lookup, not by a join (a join probes every row it is given): an id through transform
 * (which hashes the ids once), a version through `byVersion`, the starts of each version's
 * deployments built once per query, so a result never scans every deployment (quadratic
 * over a whole history). A result whose deployment is not stored yet links to nothing
 * until it arrives: linking happens on every read, so nothing needs rewriting when it does.
 *
 * `results` come from `usecase_results_by_time` for every use case of a recent window
 * (sorted by time: the range read does not grow with the history), from
 * `usecase_results` for named ones (sorted by use case: a whole history stays cheap);
 * the two hold the same rows (clickhouse/0050).
 */
const linkedCte = (table: ResultTable, dated: string) => `
${dated} AS dated,
(SELECT (groupArray(version), groupArray(starts)) FROM (
  SELECT d.2 AS version, arraySort(groupArray((d.4, position))) AS starts
  FROM system.one ARRAY JOIN dated AS d, arrayEnumerate(dated) AS position
  GROUP BY version)) AS byVersion,
linked AS (
  SELECT usecase, suite, status, occurred_at, error,
    byVersion.2[transform(version, byVersion.1, arrayEnumerate(byVersion.1), 0)] AS ofVersion,
    if(deployment_id != '', transform(deployment_id, dated.1, arrayEnumerate(dated), 0),
      if((arrayLast((s) -> s.1 <= occurred_at, ofVersion) AS latest).2 > 0, latest.2, ofVersion[1].2)) AS position
  FROM ${table} FINAL
  WHERE environment = {environment:String} AND service = {service:String}
    AND (empty({usecases:Array(String)}) OR usecase IN {usecases:Array(String)})
    AND occurred_at >= {since:DateTime64(3)} - toIntervalHour(1) AND occurred_at <= {resultsUntil:DateTime64(3)}
)`;

/** A linked result as one number, position x 4 + status (0 pass, 1 fail, 2 skip): what the tallies and a window's outcomes sort and split. */
const RESULT_KEY = "toUInt64(position) * 4 + multiIf(status = 'pass', 0, status = 'fail', 1, 2)";

/**
 * `tallies`: per use case, one entry per deployment of `dated` it has results in, in
 * deployment order: `tally` = (positions, passes, fails, skips) and `latest` (the time of its
 * latest pass or fail there, in ms: a skip is not a run), as parallel arrays. Each result is one number (position
 * x 4 + status) collected per use case, sorted, and split where the position changes: flat
 * numeric arrays cost a fraction of grouping by (use case, deployment) first, of sumMap,
 * or of collecting tuples with strings, and these reads go through every result of a
 * window. Failures keep their error text apart (there are few); `unlinked` counts the
 * results whose deployment is not stored yet. An array shifted by one is pushed, then
 * popped: the other order gives an empty array (a use case with only unlinked results) one
 * element, and arrayMap refuses arrays of different sizes.
 */
const talliesCte = `
tallies AS (
  SELECT usecase, argMax(suite, occurred_at) AS suite,
    groupArrayIf(${RESULT_KEY}, position > 0) AS unsorted,
    arraySort(unsorted) AS keys,
    arraySort((t, k) -> k, groupArrayIf(if(status IN ('pass', 'fail'), toUnixTimestamp64Milli(occurred_at), 0), position > 0), unsorted) AS times,
    arrayMap((k) -> intDiv(k, 4), keys) AS byPosition,
    arrayMap((p, before) -> p != before, byPosition, arrayPopBack(arrayPushFront(byPosition, 0))) AS starts,
    arraySplit((k, s) -> s, arrayMap((k) -> k % 4, keys), starts) AS codes,
    (arrayFilter((p, s) -> s, byPosition, starts), arrayMap((g) -> countEqual(g, 0), codes), arrayMap((g) -> countEqual(g, 1), codes),
      arrayMap((g) -> countEqual(g, 2), codes)) AS tally,
    arrayMap((g) -> arrayMax(g), arraySplit((t, s) -> s, times, starts)) AS latest,
    groupArrayIf((position, occurred_at, error), status = 'fail' AND position > 0) AS failures,
    countIf(position = 0) AS unlinked
  FROM linked
  GROUP BY usecase
)`;

/**
 * Each use case's runs (deployments where it passed or failed), numbered in deployment
 * order, with its totals and unlinked results. Only the runs at a change of outcome (and
 * each use case's first and last) come back, besides its last `everyLast` runs: the walk
 * in attribution.ts gives the same answer from those, and a stable use case costs one or
 * two rows instead of thousands.
 * A run's error is that of its latest failure; its suite is the use case's latest.
 */
const runs = (table: ResultTable) => `
WITH ${linkedCte(table, DATED_BETWEEN)},${talliesCte},
runs AS (
  SELECT usecase, suite, failures, unlinked,
    arrayMap((passes, fails) -> passes + fails > 0, tally.2, tally.3) AS ran,
    arrayFilter((x, r) -> r, tally.1, ran) AS positions,
    arrayFilter((x, r) -> r, tally.2, ran) AS passes,
    arrayFilter((x, r) -> r, tally.3, ran) AS fails,
    arrayFilter((x, r) -> r, tally.4, ran) AS skips,
    arrayFilter((x, r) -> r, latest, ran) AS lasts,
    arrayMap((p, f) -> multiIf(p > 0 AND f > 0, 'mixed', f > 0, 'fail', 'pass'), passes, fails) AS outcomes,
    arrayMap((o, before, after, run) -> run + {everyLast:UInt32} > length(outcomes) OR o != before OR o != after,
      outcomes, arrayPopBack(arrayPushFront(outcomes, '')), arrayPopFront(arrayPushBack(outcomes, '')), arrayEnumerate(outcomes)) AS keep,
    length(positions) AS totalRuns, arraySum(passes) AS totalPasses, arraySum(fails) AS totalFails
  FROM tallies
  WHERE totalRuns > 0
)
SELECT usecase, suite, dated[position].1 AS deploymentId, dated[position].2 AS version, dated[position].3 AS kind,
  dated[position].4 AS deployedAt, outcome, passes, fails, skips, fromUnixTimestamp64Milli(last, 'UTC') AS lastAt,
  arrayReverseSort((f) -> f.2, arrayFilter((f) -> f.1 = position, failures))[1].3 AS error,
  run, totalRuns, totalPasses, totalFails, unlinked
FROM runs
ARRAY JOIN
  arrayFilter((x, k) -> k, arrayEnumerate(positions), keep) AS run,
  arrayFilter((x, k) -> k, positions, keep) AS position,
  arrayFilter((x, k) -> k, outcomes, keep) AS outcome,
  arrayFilter((x, k) -> k, passes, keep) AS passes,
  arrayFilter((x, k) -> k, fails, keep) AS fails,
  arrayFilter((x, k) -> k, skips, keep) AS skips,
  arrayFilter((x, k) -> k, lasts, keep) AS last
ORDER BY usecase, run`;
/** By source: every use case of a window, or some use cases. */
export const RUNS: Record<ResultSource, string> = { window: runs(TABLES.window), usecases: runs(TABLES.usecases) };

/** Results of the scope (or of some use cases) whose deployment is not stored yet. */
export const UNLINKED = `
WITH ${linkedCte(TABLES.usecases, DATED_BETWEEN)}
SELECT count() AS unlinked FROM linked WHERE position = 0`;

/** One row when the scope has a use-case result (read by key: its first granule). */
export const ANY_RESULT = `
SELECT 1 AS found FROM usecase_results
WHERE environment = {environment:String} AND service = {service:String}
LIMIT 1`;

/** The latest `limit` deployments started in [since, until], newest first. */
export const LATEST_DEPLOYMENTS = `${STARTED_BETWEEN}
ORDER BY deployedAt DESC, deploymentId DESC
LIMIT {limit:UInt32}`;

/** The first `limit` deployments started in [since, until], oldest first. */
export const EARLIEST_DEPLOYMENTS = `${STARTED_BETWEEN}
ORDER BY deployedAt, deploymentId
LIMIT {limit:UInt32}`;

/** Times before 2100 are below 10^13 ms: position x 10^13 + time orders results by deployment, then time, as one number (cheaper to compare than a tuple). */
const ORDER_SCALE = "10000000000000";
const RESULT_ORDER = `toUInt64(position) * ${ORDER_SCALE} + toUnixTimestamp64Milli(occurred_at)`;

/**
 * What each use case did in each of the given deployments (oldest first; results read from
 * `since`): one row per use case with a linked result, one aggregation over the window's
 * results. `keys` lists them, one number each (position x 4 + status: 0 pass, 1 fail,
 * 2 skip), sorted, as text: the caller derives each deployment's outcome and the runs from
 * them. Doing that here (splitting the keys per deployment) cost more than the rest of the
 * query, and 100,000 JSON numbers cost more to validate than one string per use case.
 * Its last run (latest position with a pass or fail) comes with the time of its latest pass
 * or fail there, and the error of its latest failure there ('' when none).
 */
export const WINDOW_OUTCOMES = `
WITH ${linkedCte(TABLES.window, DATED_GIVEN)}
SELECT usecase, argMax(suite, occurred_at) AS suite,
  arrayStringConcat(arraySort(groupArrayIf(${RESULT_KEY}, position > 0)), ',') AS keys,
  fromUnixTimestamp64Milli(toInt64((max(if(position > 0 AND status IN ('pass', 'fail'), ${RESULT_ORDER}, 0)) AS lastRunOrder) % ${ORDER_SCALE}), 'UTC') AS lastAt,
  if(intDiv(maxIf(${RESULT_ORDER}, position > 0 AND status = 'fail'), ${ORDER_SCALE}) = intDiv(lastRunOrder, ${ORDER_SCALE}),
    argMaxIf(error, ${RESULT_ORDER}, position > 0 AND status = 'fail'), '') AS lastError,
  countIf(position > 0 AND status = 'pass') AS totalPasses, countIf(position > 0 AND status = 'fail') AS totalFails
FROM linked
GROUP BY usecase
HAVING countIf(position > 0) > 0`;
