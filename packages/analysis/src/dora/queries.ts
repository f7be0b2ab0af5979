import { z } from "zod";
import type { Store } from "@drumbeat/store";
import type { DoraParams } from "./definitions.ts";
import type { LeadTimeStats, OutcomeCounts } from "./figures.ts";
import { CommitLeadTime, FailedDeployment, QUALITY_FIELDS, type DoraDataQuality } from "./schemas.ts";
import { FACTS_IN_SCOPE, KEY_EXPRESSIONS, type GroupKey } from "./sql/facts.ts";

export type { GroupKey };
/** Every query here reads the facts tables; refreshFacts (facts.ts) keeps them current. */

/** Rows before `from` belong to the previous range (when scanFrom reaches back to it). */
const IN_CURRENT_RANGE = "at >= {from:DateTime64(3, 'UTC')}";
/** The group key and the period of a row, selected as `key` and `current`, grouped by as typed values. */
const grouping = (key: GroupKey) => ({
  select: `toString(group_key) AS key, toBool(${IN_CURRENT_RANGE}) AS current`,
  groupBy: `${KEY_EXPRESSIONS[key]} AS group_key, current`,
});

const Count = z.number().int();
const Stat = z.number().nullable();
/** The median and p90 of one sort: `quantilesExactInclusive(0.5, 0.9)`. */
const MedianP90 = z.tuple([Stat, Stat]).transform(([median, p90]) => ({ median, p90 }));
/** Figures are keyed `period|group`. */
const figureKey = (current: boolean, key: string) => `${current ? "current" : "previous"}|${key}`;

const OutcomeRow = z.object({
  key: z.string(), current: z.boolean(),
  deployments: Count, rollbacks: Count, total: Count, failedCount: Count, rework: Count, recoveries: Count, recovery: MedianP90,
});

/** Counts per (group, period) over deployments in [scanFrom, to). */
export async function countOutcomes(store: Store, params: DoraParams, key: GroupKey) {
  const { select, groupBy } = grouping(key);
  const rows = await store.query({
    name: "dora.outcomes",
    sql: `
      SELECT ${select},
        countIf(deployed) AS deployments,
        countIf(rollback_deployed) AS rollbacks,
        count() AS total,
        countIf(failed) AS failedCount,
        countIf(rework) AS rework,
        countIf(recovered) AS recoveries,
        quantilesExactInclusiveIf(0.5, 0.9)(recovery_seconds, recovered) AS recovery
      FROM dora_deployment_facts
      WHERE ${FACTS_IN_SCOPE}
      GROUP BY ${groupBy}`,
    params,
    rows: OutcomeRow,
  });
  return new Map<string, OutcomeCounts>(rows.map(({ key: k, current, failedCount, recovery, ...counts }) => [figureKey(current, k), {
    ...counts, failed: failedCount, unrecovered: failedCount - counts.recoveries, recoveryMedian: recovery.median, recoveryP90: recovery.p90,
  }]));
}

const LeadRow = z.object({ key: z.string(), current: z.boolean(), commits: Count, lead: MedianP90 });

/** Lead-time statistics per (group, period) over commits first deployed in [scanFrom, to). */
export async function measureLeadTimes(store: Store, params: DoraParams, key: GroupKey) {
  const { select, groupBy } = grouping(key);
  const rows = await store.query({
    name: "dora.leadTimes",
    sql: `
      SELECT ${select}, count() AS commits, quantilesExactInclusive(0.5, 0.9)(lead_seconds) AS lead
      FROM dora_commit_facts
      WHERE ${FACTS_IN_SCOPE}
      GROUP BY ${groupBy}`,
    params,
    rows: LeadRow,
  });
  return new Map<string, LeadTimeStats>(rows.map(({ key: k, current, commits, lead }) => [figureKey(current, k), { commits, ...lead }]));
}

/** Failed deployments in [from, to), newest first, each with its reasons and recovery. */
export function listFailedDeployments(store: Store, params: DoraParams, limit: number) {
  return store.query({
    name: "dora.failures",
    sql: `
      SELECT deployment_id AS deploymentId, service, team, kind, status, at AS deployedAt, reasons,
        evidence,
        failed_at AS failedAt, if(recovered, recovered_at, NULL) AS recoveredAt,
        if(recovered, recovered_by, NULL) AS recoveredBy, if(recovered, recovery_seconds, NULL) AS recoverySeconds
      FROM dora_deployment_facts
      WHERE ${FACTS_IN_SCOPE} AND failed
      ORDER BY at DESC, deployment_id DESC
      LIMIT {limit:UInt32}`,
    params: { ...params, limit },
    rows: FailedDeployment,
  });
}

/** Commits first deployed in [from, to), slowest first. */
export function listCommitLeadTimes(store: Store, params: DoraParams, limit: number) {
  return store.query({
    name: "dora.leadTimeCommits",
    sql: `
      SELECT service, sha, team, deployment_id AS deploymentId, authored_at AS authoredAt, at AS deployedAt,
        lead_seconds AS leadSeconds
      FROM dora_commit_facts
      WHERE ${FACTS_IN_SCOPE}
      ORDER BY lead_seconds DESC, service, sha
      LIMIT {limit:UInt32}`,
    params: { ...params, limit },
    rows: CommitLeadTime,
  });
}

const QualityRow = z.object({ issue: z.enum(Object.keys(QUALITY_FIELDS) as [keyof typeof QUALITY_FIELDS]), items: Count });

/**
 * What the figures of [from, to) leave out, by issue: items dated in the range, and
 * events dated after now whatever the range.
 */
export async function countDataQuality(store: Store, params: DoraParams): Promise<DoraDataQuality> {
  const rows = await store.query({
    name: "dora.dataQuality",
    sql: `
      SELECT issue, count() AS items
      FROM dora_quality_facts
      WHERE environment = {environment:String} AND definition = {definition:String}
        AND ({service:String} = '' OR service = {service:String})
        AND ({team:String} = '' OR team = {team:String})
        AND build IN {builds:Array(UInt64)}
        -- Two ranges of at, not an if() on the issue: the partitions (by month of at)
        -- outside both are skipped, so the read does not grow with the history.
        AND ((issue != 'event_in_future' AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')})
          OR (issue = 'event_in_future' AND at > now64(3, 'UTC')))
      GROUP BY issue`,
    params,
    rows: QualityRow,
  });
  const quality: DoraDataQuality = { causeUnknown: 0, causeAfterOpening: 0, deploymentsWithoutCommits: 0, eventsInFuture: 0 };
  for (const { issue, items } of rows) quality[QUALITY_FIELDS[issue]] = items;
  return quality;
}
