import { z } from "zod";
import { DeploymentStatus } from "@drumbeat/events";
import type { Store } from "../store.ts";
import { ScopeFilter, dateTimeParam, decodeCursor, encodeCursor, scopeParams } from "./filters.ts";

export const DeploymentSummary = z.object({
  deploymentId: z.string(),
  service: z.string(),
  environment: z.string(),
  team: z.string(),
  version: z.string(),
  artifact: z.string(),
  status: DeploymentStatus,
  statusAt: z.string(),
  startedAt: z.string(),
  strategy: z.string(),
  kind: z.string(),
  rollsBack: z.string(),
  url: z.string(),
  actor: z.string(),
  source: z.string(),
});
export type DeploymentSummary = z.infer<typeof DeploymentSummary>;

/** A list item: the deployment, what it carried and its metric verdict (docs/metrics.md), null until computed. */
export const DeploymentListItem = DeploymentSummary.extend({
  canarySteps: z.number().int().describe("lifecycle events before its final status that set a canary weight"),
  authors: z.array(z.string()).describe("the distinct authors of the commits it carried, at most 5"),
  leadTimeSeconds: z.number().nullable().describe("from its oldest commit's authoring to its success; null when it did not succeed or named no commits"),
  verdict: z.enum(["regressed", "improved", "no_change", "not_enough_data"]).nullable(),
});
export type DeploymentListItem = z.infer<typeof DeploymentListItem>;

export const DeploymentListQuery = ScopeFilter.extend({
  status: DeploymentStatus.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type DeploymentListQuery = z.input<typeof DeploymentListQuery>;

const SUMMARY_COLUMNS = `deployment_id AS deploymentId, service, environment, team, version, artifact, status,
  status_at AS statusAt, strategy, kind, rolls_back AS rollsBack, url, actor, source`;

export class InvalidCursorError extends Error {}

/**
 * The current row of each deployment whose status time is at or after {since}, in scope,
 * ordered and paged as the list is. Read from deployment_events, partitioned by month: a
 * deployment's current row (clickhouse/0003) is its event with the greatest row_version,
 * the latest, ties going to the more final status, and that event is at or after {since}
 * exactly when its status time is, so the read covers only the months from {since} on.
 * (The deployments table is sorted by service and id: finding its newest rows reads it all.)
 */
const LIST_SINCE = `SELECT deploymentId, service, environment, team, version, artifact, status, statusAt, strategy, kind, rollsBack, url, actor, source,
    statusAt AS startedAt
  FROM (
    SELECT deployment_id AS deploymentId, service, environment,
      argMax(e_team, row_version) AS team, argMax(e_version, row_version) AS version, argMax(e_artifact, row_version) AS artifact,
      argMax(e_status, row_version) AS status, max(occurred_at) AS statusAt, argMax(e_strategy, row_version) AS strategy,
      argMax(e_kind, row_version) AS kind, argMax(e_rolls_back, row_version) AS rollsBack, argMax(e_url, row_version) AS url,
      argMax(e_actor, row_version) AS actor, argMax(e_source, row_version) AS source
    FROM (
      SELECT deployment_id, service, environment, occurred_at, team AS e_team, version AS e_version, artifact AS e_artifact,
        status AS e_status, strategy AS e_strategy, kind AS e_kind, rolls_back AS e_rolls_back, url AS e_url, actor AS e_actor,
        source AS e_source,
        toUInt64(toUnixTimestamp64Milli(occurred_at)) * 4 + indexOf(['succeeded', 'failed', 'rolled_back'], status) AS row_version
      FROM deployment_events
      WHERE occurred_at >= {since:DateTime64(3, 'UTC')}
        AND ({service:String} = '' OR service = {service:String})
        AND ({environment:String} = '' OR environment = {environment:String})
    )
    GROUP BY environment, service, deployment_id
  )
  WHERE ({team:String} = '' OR team = {team:String})
    AND statusAt >= {from:DateTime64(3, 'UTC')} AND statusAt < {to:DateTime64(3, 'UTC')}
    AND ({status:String} = '' OR status = {status:String})
    AND ({cursorSet:Bool} = false OR (statusAt, deploymentId) < ({cursorAt:DateTime64(3, 'UTC')}, {cursorId:String}))
  ORDER BY statusAt DESC, deploymentId DESC
  LIMIT {limit:UInt32}`;

/** How far back from the newest status the list looks first, then wider: a page is usually in the first. */
const LIST_WINDOWS_DAYS = [1, 8, 64, 512];
const DAY_MS = 86_400_000;

/**
 * Newest first, one row per deployment with its current status; keyset-paged. Looks back
 * from the page's upper bound (the range's end, the cursor, or the latest event) one window at a time,
 * widening until the page is full or the window covers the range: the rows of a window
 * are the list's first rows, so a full page from it is the page.
 */
export async function listDeployments(store: Store, input: DeploymentListQuery) {
  const query = DeploymentListQuery.parse(input);
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (query.cursor && !cursor) throw new InvalidCursorError("cursor is not one this API issued");
  const params = {
    ...scopeParams(query),
    status: query.status ?? "",
    cursorSet: cursor !== undefined,
    cursorAt: dateTimeParam(cursor?.at ?? new Date(0)),
    cursorId: cursor?.id ?? "",
    limit: query.limit + 1,
  };
  const from = Date.parse(query.from ?? "1970-01-01T00:00:00Z");
  // Answered from the parts' own min/max of their partition key: no rows read.
  const [latest] = await store.query({
    name: "deployments.latestEvent", sql: "SELECT max(occurred_at) AS at FROM deployment_events", rows: z.object({ at: z.string() }),
  });
  const newest = Math.min(Date.parse(query.to ?? "2299-12-31T00:00:00Z"), cursor ? Date.parse(cursor.at) : Infinity, Date.parse(latest!.at));
  let rows: DeploymentSummary[] = [];
  for (const days of [...LIST_WINDOWS_DAYS, Infinity]) {
    const since = Math.max(from, newest - days * DAY_MS);
    rows = await store.query({
      name: "deployments.list", sql: LIST_SINCE, params: { ...params, since: dateTimeParam(new Date(since)) }, rows: DeploymentSummary,
    });
    if (rows.length > query.limit || since <= from) break;
  }
  const page: DeploymentListItem[] = rows.slice(0, query.limit).map((row) => ({ ...row, canarySteps: 0, authors: [], leadTimeSeconds: null, verdict: null }));
  await fillLifecycles(store, page);
  await fillCommits(store, page);
  const verdicts = new Map((await impactVerdicts(store, page)).map((row) => [row.deploymentId, row]));
  for (const deployment of page) deployment.verdict = (verdicts.get(deployment.deploymentId)?.verdict ?? null) as DeploymentListItem["verdict"];
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last.statusAt, last.deploymentId) : null;
  return { deployments: page, nextCursor };
}

const pageKeys = (page: readonly DeploymentSummary[]) => ({
  environments: [...new Set(page.map((d) => d.environment))],
  services: [...new Set(page.map((d) => d.service))],
  ids: page.map((d) => d.deploymentId),
});

/**
 * The current row holds the latest status; when it started comes from its first event, its
 * strategy and actor from the latest event that named them (a final status often names
 * neither), and its canary steps are the events before the final status that set a weight
 * (as the impact's canary comparison counts them).
 */
async function fillLifecycles(store: Store, page: DeploymentListItem[]) {
  if (page.length === 0) return;
  const rows = await store.query({
    name: "deployments.lifecycles",
    sql: `SELECT deployment_id AS deploymentId, min(occurred_at) AS startedAt,
        toUInt32(uniqExactIf(event_id, canary_weight >= 0 AND status = 'started')) AS canarySteps,
        argMaxIf(strategy, occurred_at, strategy != '') AS strategy, argMaxIf(actor, occurred_at, actor != '') AS actor
      FROM deployment_events
      WHERE environment IN {environments:Array(String)} AND service IN {services:Array(String)}
        AND deployment_id IN {ids:Array(String)}
      GROUP BY deployment_id`,
    params: pageKeys(page),
    rows: z.object({ deploymentId: z.string(), startedAt: z.string(), canarySteps: z.number(), strategy: z.string(), actor: z.string() }),
  });
  const lifecycles = new Map(rows.map((row) => [row.deploymentId, row]));
  for (const deployment of page) {
    const lifecycle = lifecycles.get(deployment.deploymentId);
    deployment.startedAt = lifecycle?.startedAt ?? deployment.statusAt;
    deployment.canarySteps = lifecycle?.canarySteps ?? 0;
    deployment.strategy ||= lifecycle?.strategy ?? "";
    deployment.actor ||= lifecycle?.actor ?? "";
  }
}

/** Who wrote what a deployment carried, and its lead time: oldest commit authored to success. */
async function fillCommits(store: Store, page: DeploymentListItem[]) {
  if (page.length === 0) return;
  const rows = await store.query({
    name: "deployments.commitSummaries",
    sql: `SELECT deployment_id AS deploymentId, min(authored_at) AS oldestAuthoredAt,
        arraySort(groupUniqArrayIf(5)(author, author != '')) AS authors
      FROM deployment_commits
      WHERE environment IN {environments:Array(String)} AND service IN {services:Array(String)}
        AND deployment_id IN {ids:Array(String)}
      GROUP BY deployment_id`,
    params: pageKeys(page),
    rows: z.object({ deploymentId: z.string(), oldestAuthoredAt: z.string(), authors: z.array(z.string()) }),
  });
  const commits = new Map(rows.map((row) => [row.deploymentId, row]));
  for (const deployment of page) {
    const carried = commits.get(deployment.deploymentId);
    if (!carried) continue;
    deployment.authors = carried.authors;
    if (deployment.status === "succeeded") {
      deployment.leadTimeSeconds = Math.max(0, Math.round((Date.parse(deployment.statusAt) - Date.parse(carried.oldestAuthoredAt)) / 1000));
    }
  }
}

export const ImpactVerdictRow = z.object({ deploymentId: z.string(), verdict: z.string(), computedAt: z.string() });

/** The verdict of each deployment's last impact build (clickhouse/0041). */
export async function impactVerdicts(store: Store, keys: readonly { environment: string; service: string; deploymentId: string }[]) {
  if (keys.length === 0) return [];
  return store.query({
    name: "deployments.impactVerdicts",
    sql: `SELECT deployment_id AS deploymentId, argMax(verdict, computed_at) AS verdict, max(computed_at) AS computedAt
      FROM deployment_impact_builds
      WHERE environment IN {environments:Array(String)} AND service IN {services:Array(String)} AND deployment_id IN {ids:Array(String)}
      GROUP BY deployment_id`,
    params: {
      environments: [...new Set(keys.map((k) => k.environment))],
      services: [...new Set(keys.map((k) => k.service))],
      ids: keys.map((k) => k.deploymentId),
    },
    rows: ImpactVerdictRow,
  });
}

export const DeploymentLifecycleEvent = z.object({
  eventId: z.string(),
  occurredAt: z.string(),
  status: DeploymentStatus,
  version: z.string(),
  strategy: z.string(),
  canaryWeight: z.number().nullable(),
  actor: z.string(),
  url: z.string(),
  source: z.string(),
});

export const DeploymentCommitRow = z.object({
  sha: z.string(),
  authoredAt: z.string(),
  committedAt: z.string().nullable(),
  author: z.string(),
  message: z.string(),
});

/** One deployment with every lifecycle event and the commits it carried; undefined when unknown. */
export async function getDeployment(store: Store, deploymentId: string) {
  const [summary] = await store.query({
    name: "deployments.get",
    sql: `SELECT ${SUMMARY_COLUMNS}, statusAt AS startedAt FROM deployments FINAL
      WHERE deployment_id = {deploymentId:String} LIMIT 1`,
    params: { deploymentId },
    rows: DeploymentSummary,
  });
  if (!summary) return undefined;
  const key = { deploymentId, service: summary.service, environment: summary.environment };
  const [events, commits] = await Promise.all([store.query({
    name: "deployments.events",
    sql: `SELECT event_id AS eventId, occurred_at AS occurredAt, status, version, strategy,
        if(canary_weight < 0, NULL, canary_weight) AS canaryWeight, actor, url, source
      FROM deployment_events
      WHERE environment = {environment:String} AND service = {service:String} AND deployment_id = {deploymentId:String}
      -- A retried insert repeats rows whole: one per event_id is what FINAL would keep, at a
      -- fifth of its cost (FINAL merges every monthly part's range of the key).
      ORDER BY occurred_at, event_id
      LIMIT 1 BY event_id`,
    params: key,
    rows: DeploymentLifecycleEvent,
  }), store.query({
    name: "deployments.commits",
    sql: `SELECT sha, authored_at AS authoredAt,
        if(committed_at = toDateTime64(0, 3, 'UTC'), NULL, committed_at) AS committedAt, author, message
      FROM deployment_commits FINAL
      WHERE environment = {environment:String} AND service = {service:String} AND deployment_id = {deploymentId:String}
      ORDER BY authored_at DESC, sha`,
    params: key,
    rows: DeploymentCommitRow,
  })]);
  summary.startedAt = events[0]?.occurredAt ?? summary.statusAt;
  return { ...summary, events, commits };
}
