import { LEAD_TIMES_CTE } from "./leadTimes.ts";
import { OUTCOMES_CTE, QUALITY_CTE } from "./outcomes.ts";
import { pullRequestStagesCte } from "./pullRequests.ts";
import { RELEASED_CTE } from "../../insights/sql/facts.ts";

/**
 * The DORA facts tables (clickhouse/0011): built per service from the full history by
 * the rules in outcomes.ts and leadTimes.ts, read per range by queries.ts. Parameters of
 * a build: environment, definition, services, build, builtAt, windowSeconds, detectRollbacks,
 * countRegressions.
 *
 * Each service of a build statement gets its own build number, `{build}` plus its index
 * in `{services}`, so that readers can pick current rows by number alone.
 */
const BUILD_OF_SERVICE = "{build:UInt64} + indexOf({services:Array(String)}, service)";
export const BUILD_DEPLOYMENT_FACTS = `
INSERT INTO dora_deployment_facts (environment, definition, service, deployment_id, build, team, kind, status, at,
  deployed, rollback_deployed, rework, reasons, evidence, failed, failed_at, recovered, recovered_at, recovered_by, recovery_seconds,
  version, artifact, strategy, commit_count, since_previous_seconds, canary_steps, flag_released, promotion_path, rebuilt)
WITH ${OUTCOMES_CTE}, ${RELEASED_CTE}
SELECT {environment:String}, {definition:String}, service, deployment_id, ${BUILD_OF_SERVICE}, team, kind, status, at,
  deployed, rollback_deployed, rework, reasons, evidence, failed, failed_at, recovered, recovered_at, recovered_by, recovery_seconds,
  version, artifact, strategy, commit_count, since_previous_seconds, canary_steps, flag_released, promotion_path, rebuilt
FROM released`;

export const BUILD_QUALITY_FACTS = `
INSERT INTO dora_quality_facts (environment, definition, service, issue, subject, build, team, at)
WITH ${QUALITY_CTE}
SELECT {environment:String}, {definition:String}, service, issue, subject, ${BUILD_OF_SERVICE}, team, at
FROM quality`;

export const BUILD_COMMIT_FACTS = `
INSERT INTO dora_commit_facts (environment, definition, service, sha, build, team, deployment_id, authored_at, at, lead_seconds, in_pull_request)
WITH ${LEAD_TIMES_CTE}
SELECT {environment:String}, {definition:String}, service, sha, ${BUILD_OF_SERVICE}, team, deployment_id, authored_at, at, lead_seconds, in_pull_request
FROM lead_times`;

/** After BUILD_COMMIT_FACTS of the same build: it reads that build's commit facts. */
export const BUILD_PULL_REQUEST_FACTS = `
INSERT INTO dora_pull_request_facts (environment, definition, service, repository, number, build, team, deployment_id, at,
  has_coding, coding_seconds, has_review, pickup_seconds, review_seconds, deploy_seconds)
WITH ${pullRequestStagesCte(BUILD_OF_SERVICE)}
SELECT {environment:String}, {definition:String}, service, repository, number, ${BUILD_OF_SERVICE}, team, deployment_id, at,
  has_coding, coding_seconds, has_review, pickup_seconds, review_seconds, deploy_seconds
FROM stages`;

/** Written after both facts inserts: a build is used only once it is recorded. */
export const RECORD_BUILDS = `
INSERT INTO dora_builds (environment, definition, service, build, built_at)
SELECT {environment:String}, {definition:String}, service, ${BUILD_OF_SERVICE}, {builtAt:DateTime64(3, 'UTC')}
FROM (SELECT arrayJoin({services:Array(String)}) AS service)`;

/**
 * The base of a build's numbers and the time the build starts from, both from the
 * store, whatever each process's clock says: its clock in microseconds, or one past the
 * highest build recorded if that clock stands behind it (stepped back).
 */
export const RESERVE_BUILDS = `
SELECT greatest(toUInt64(toUnixTimestamp64Micro(now64(6, 'UTC'))),
    (SELECT max(build) FROM dora_builds WHERE environment = {environment:String} AND definition = {definition:String}) + 1) AS base,
  toString(now64(3, 'UTC')) AS now`;

/**
 * Deletes the builds that the new builds `{builds}` of `{services}` replaced, once those
 * are recorded: a request still reading one of them notices (LAST_BUILDS changed under
 * it) and reads again. Builds in progress have higher numbers and stay. A Distributed
 * table takes no DELETE, so on a cluster each shard deletes from its own table.
 */
export function deleteReplacedBuilds(table: (typeof MERGED_FACTS_TABLES)[number], cluster: string | undefined): string {
  return `
DELETE FROM ${cluster ? `${table}_local ON CLUSTER ${cluster}` : table}
WHERE environment = {environment:String} AND definition = {definition:String}
  AND has({services:Array(String)}, service)
  AND build < arrayElement({builds:Array(UInt64)}, indexOf({services:Array(String)}, service))`;
}

/** Service '' of dora_builds is no service: its time says up to when incidents' causes were looked at. */
export const CAUSES_CHECKED = "''";

/** The last recorded build of each service (and CAUSES_CHECKED), with the time it starts from. */
export const LAST_BUILDS = `
  SELECT service, max(build) AS build, max(built_at) AS built_at FROM dora_builds
  WHERE environment = {environment:String} AND definition = {definition:String}
  GROUP BY service`;

/** After a complete round of builds that started from a check at `{builtAt}`. */
export const RECORD_CAUSES_CHECKED = `
INSERT INTO dora_builds (environment, definition, service, build, built_at)
VALUES ({environment:String}, {definition:String}, ${CAUSES_CHECKED}, {build:UInt64}, {builtAt:DateTime64(3, 'UTC')})`;

/**
 * What may have changed since the last builds, in one round trip, from the same inputs
 * the rules read (the test "every input of the rules makes its service stale" holds the
 * two together):
 * - every service with deployment, incident or flag events in the environment, or commits
 *   (stored for every environment), or use-case results when `{countUsecaseBreaks}`, with
 *   its last build (0 for none), stale when it has an event newer than that build or has
 *   no build;
 * - the deployments named in `causedBy` by an incident of any environment or service
 *   that received an event since causes were last looked at (the rules read every event
 *   of such an incident): their services are stale.
 * Less a settling margin: an insert is dated when it starts and visible when it ends, so
 * a build can miss rows dated just before it. `checked_at` is the store's clock.
 */
export const CHANGES_SINCE_BUILDS = `
SELECT 'service' AS kind, c.service AS name, b.build AS build, toString(b.built_at) AS built_at,
  toBool(c.changed_at > b.built_at - toIntervalSecond({settleSeconds:UInt32})) AS stale, toString(now64(3, 'UTC')) AS checked_at
FROM (
  SELECT service, max(changed_at) AS changed_at FROM (
    SELECT service, changed_at FROM dora_changes WHERE environment IN ({environment:String}, '')
    UNION ALL
    -- Use-case results change the facts only when their breaks count (DRUMBEAT_CFR_COUNT_USECASE_BREAKS).
    SELECT service, changed_at FROM dora_usecase_changes WHERE {countUsecaseBreaks:Bool} AND environment = {environment:String}
  ) GROUP BY service
) AS c
LEFT JOIN (${LAST_BUILDS}) AS b ON b.service = c.service
UNION ALL
SELECT 'deployment', caused_by, 0, '', true, toString(now64(3, 'UTC')) FROM incident_events
WHERE caused_by != '' AND incident_id IN (
  SELECT incident_id FROM dora_incident_changes GROUP BY incident_id
  HAVING max(changed_at) > (
    SELECT max(built_at) FROM dora_builds
    WHERE environment = {environment:String} AND definition = {definition:String} AND service = ${CAUSES_CHECKED}
  ) - toIntervalSecond({settleSeconds:UInt32}))
GROUP BY caused_by`;

/**
 * A change to a service's facts that arrives as no event (a metric regression found or
 * gone: sql/outcomes.ts reads stored impacts), dated by the store's clock as the views
 * date events.
 */
export const NOTE_SERVICE_CHANGED = `
INSERT INTO dora_changes (environment, service, changed_at)
SELECT {environment:String}, {service:String}, now64(3, 'UTC')`;

/**
 * After a build of every service, these are merged to one part per month, as if written
 * at once (`optimizeSharded`, which merges each shard's own table on a cluster). A full
 * build leaves several parts in each month, and reads over them take a sixth longer.
 */
export const MERGED_FACTS_TABLES = ["dora_deployment_facts", "dora_commit_facts", "dora_pull_request_facts", "dora_quality_facts"] as const;

export const SERVICES_OF_DEPLOYMENTS = `
SELECT DISTINCT service FROM deployments
WHERE environment = {environment:String} AND has({deploymentIds:Array(String)}, deployment_id)`;

/**
 * The facts in [scanFrom, to) of one complete build of each service (`{builds}`, as
 * readFacts passes them), for a scope. Other builds' rows (in progress, or replaced and
 * not yet deleted) are filtered out here. Passing the builds instead of reading them in a
 * subquery saves a tenth of a one-service request.
 */
export const FACTS_IN_SCOPE = `
  environment = {environment:String} AND definition = {definition:String}
  AND at >= {scanFrom:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
  AND ({service:String} = '' OR service = {service:String})
  AND ({team:String} = '' OR team = {team:String})
  AND build IN {builds:Array(UInt64)}`;

/**
 * Groups and buckets (weeks start Monday, UTC), grouped by their typed value and named
 * as text afterwards: formatting each row's date before grouping costs a fifth of a read
 * at 10M deployments. Fixed fragments chosen by name: a bound-parameter switch (multiIf
 * on `{key:String}`) doubles the cost of a read.
 */
export const KEY_EXPRESSIONS = {
  "": "''",
  service: "service",
  team: "team",
  day: "toDate(at)",
  week: "toMonday(at)",
  month: "toStartOfMonth(at)",
} as const;
export type GroupKey = keyof typeof KEY_EXPRESSIONS;
