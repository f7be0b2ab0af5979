import { z } from "zod";
import type { Store } from "@drumbeat/store";
import type { DoraParams } from "./definitions.ts";
import type { LeadTimeStats, OutcomeCounts } from "./figures.ts";
import { CommitLeadTime, FailedDeployment } from "./schemas.ts";
import { FACTS_IN_SCOPE, KEY_EXPRESSION } from "./sql/facts.ts";

/** Every query here reads the facts tables; refreshFacts (facts.ts) keeps them current. */
type Params = DoraParams;
/** '' (one group), a grouping column, or a time bucket; see KEY_EXPRESSION. */
export type GroupKey = "" | "service" | "team" | "day" | "week" | "month";
/** Rows before `from` belong to the previous range (when scanFrom reaches back to it). */
const PERIOD = "if(at >= {from:DateTime64(3)}, 'current', 'previous')";

const Count = z.number().int();
const Stat = z.number().nullable();

const OutcomeRow = z.object({
  key: z.string(), period: z.enum(["current", "previous"]),
  deployments: Count, rollbacks: Count, total: Count, failedCount: Count, rework: Count,
  recoveries: Count, unrecovered: Count, recoveryMedian: Stat, recoveryP90: Stat,
});

/** Counts per (group, period) over deployments in [scanFrom, to). */
export async function countOutcomes(store: Store, params: Params, key: GroupKey) {
  const rows = await store.query({
    name: "dora.outcomes",
    sql: `
      SELECT ${KEY_EXPRESSION} AS key, ${PERIOD} AS period,
        countIf(status = 'succeeded' AND kind != 'rollback') AS deployments,
        countIf(status = 'succeeded' AND kind = 'rollback') AS rollbacks,
        count() AS total,
        countIf(failed) AS failedCount,
        countIf(kind IN ('rollback', 'hotfix')) AS rework,
        countIf(recovered) AS recoveries,
        countIf(failed AND NOT recovered) AS unrecovered,
        quantileExactInclusiveIf(0.5)(recovery_seconds, recovered) AS recoveryMedian,
        quantileExactInclusiveIf(0.9)(recovery_seconds, recovered) AS recoveryP90
      FROM dora_deployment_facts
      WHERE ${FACTS_IN_SCOPE}
      GROUP BY key, period`,
    params: { ...params, key },
    rows: OutcomeRow,
  });
  return new Map<string, OutcomeCounts>(rows.map(({ key: k, period, failedCount, ...counts }) => [`${period}|${k}`, { ...counts, failed: failedCount }]));
}

const LeadRow = z.object({ key: z.string(), period: z.enum(["current", "previous"]), commits: Count, median: Stat, p90: Stat });

/** Lead-time statistics per (group, period) over commits first deployed in [scanFrom, to). */
export async function measureLeadTimes(store: Store, params: Params, key: GroupKey) {
  const rows = await store.query({
    name: "dora.leadTimes",
    sql: `
      SELECT ${KEY_EXPRESSION} AS key, ${PERIOD} AS period, count() AS commits,
        quantileExactInclusive(0.5)(lead_seconds) AS median, quantileExactInclusive(0.9)(lead_seconds) AS p90
      FROM dora_commit_facts
      WHERE ${FACTS_IN_SCOPE}
      GROUP BY key, period`,
    params: { ...params, key },
    rows: LeadRow,
  });
  return new Map<string, LeadTimeStats>(rows.map(({ key: k, period, ...stats }) => [`${period}|${k}`, stats]));
}

/** Failed deployments in [from, to), newest first, each with its reasons and recovery. */
export function listFailedDeployments(store: Store, params: Params, limit: number) {
  return store.query({
    name: "dora.failures",
    sql: `
      SELECT deployment_id AS deploymentId, service, team, kind, status, at AS deployedAt, reasons,
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
export function listCommitLeadTimes(store: Store, params: Params, limit: number) {
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
