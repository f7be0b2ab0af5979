import { FACTS_IN_SCOPE } from "../../dora/sql/facts.ts";

/**
 * Deployments and failures per (day of week, hour) of their time (`at`, the final status)
 * in `{timeZone:String}`, an IANA zone name checked before it gets here: Monday is 1.
 */
export const RELEASE_WINDOW = `
SELECT toDayOfWeek(at, 0, {timeZone:String}) AS day, toHour(at, {timeZone:String}) AS hour, count() AS total, countIf(failed) AS failed_count
FROM dora_deployment_facts
WHERE ${FACTS_IN_SCOPE}
GROUP BY day, hour`;
