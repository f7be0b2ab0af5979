import { FACTS_IN_SCOPE, KEY_EXPRESSIONS } from "../../dora/sql/facts.ts";

/** The batch-size bucket of a deployment, 0–4 in the order of BATCH_BUCKETS; -1 when it sent no commits. */
const BUCKET = "multiIf(commit_count = 0, -1, commit_count = 1, 0, commit_count <= 3, 1, commit_count <= 10, 2, commit_count <= 40, 3, 4)";

/** Per group (`''`, service or team) and bucket: deployments, failures, recovery and time since the previous deployment. */
export function batchBucketsSql(key: "" | "service" | "team"): string {
  return `
SELECT toString(group_key) AS key, ${BUCKET} AS bucket, count() AS total, countIf(failed) AS failed_count,
  countIf(recovered) AS recoveries, quantileExactInclusiveIf(0.5)(recovery_seconds, recovered) AS recovery_median,
  quantileExactInclusiveIf(0.5)(since_previous_seconds, since_previous_seconds >= 0) AS since_previous_median
FROM dora_deployment_facts
WHERE ${FACTS_IN_SCOPE}
GROUP BY ${KEY_EXPRESSIONS[key]} AS group_key, bucket`;
}

/** Per week (from Monday, UTC): deployments that sent commits and their median batch. */
export const WEEKLY_BATCH = `
SELECT toString(week) AS key, count() AS deployments, quantileExactInclusive(0.5)(commit_count) AS median
FROM dora_deployment_facts
WHERE ${FACTS_IN_SCOPE} AND commit_count > 0
GROUP BY ${KEY_EXPRESSIONS.week} AS week`;
