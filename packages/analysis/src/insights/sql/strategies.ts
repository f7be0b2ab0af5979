import { FACTS_IN_SCOPE } from "../../dora/sql/facts.ts";
import { eachStep } from "./steps.ts";

/**
 * Outcomes per cut, in one scan: each deployment counts once under its strategy
 * (`strategy:<name>`) and once under whether a flag released its change (`flag:released`
 * or `flag:not_released`).
 */
export const STRATEGY_OUTCOMES = `
SELECT cut, count() AS total, countIf(failed) AS failed_count, countIf(recovered) AS recoveries,
  quantileExactInclusiveIf(0.5)(recovery_seconds, recovered) AS recovery_median,
  countIf(recovered AND recovered_by = 'rollback') AS rollbacks
FROM dora_deployment_facts
ARRAY JOIN [concat('strategy:', toString(strategy)), if(flag_released, 'flag:released', 'flag:not_released')] AS cut
WHERE ${FACTS_IN_SCOPE}
GROUP BY cut
ORDER BY cut`;

const CANARIES = `${FACTS_IN_SCOPE} AND strategy = 'canary'`;
/** The largest weight a canary reached (0 with none). */
const LARGEST = "arrayMax(arrayMap(s -> s.1, arrayPushBack(canary_steps, (toFloat32(0), at))))";
/** A canary that ended failed or rolled back before reaching 100% was aborted, where it stopped (one rolled back after a full rollout was not). */
const ABORTED = `(status IN ('failed', 'rolled_back') AND ${LARGEST} < 100)`;

/** Per weight reached: canaries, bake time (to the next weight, or to the end for the last), and aborts at that weight. */
export const CANARY_STEPS = `
SELECT toFloat64(step.1) AS weight, count() AS reached, quantileExactInclusive(0.5)(step.2) AS bake_median, countIf(step.3) AS aborted_here
FROM (
  SELECT ${eachStep("canary_steps", (step) => `${step}.2`, (untilNext) => `s.1, ${untilNext}, ${ABORTED} AND s.1 = ${LARGEST}`)} AS step
  FROM dora_deployment_facts
  WHERE ${CANARIES}
)
GROUP BY weight
ORDER BY weight`;

export const CANARY_SEQUENCES = `
SELECT arrayMap(s -> toFloat64(s.weight), canary_steps) AS weights, count() AS canaries
FROM dora_deployment_facts
WHERE ${CANARIES} AND notEmpty(canary_steps)
GROUP BY weights
ORDER BY canaries DESC, weights
LIMIT 10`;

/**
 * Per largest weight reached: canaries, aborted ones, failed ones (DORA), and the traffic
 * each failed one reached: its largest weight when aborted, all of it (100) when it completed.
 */
export const CANARY_REACH = `
SELECT toFloat64(${LARGEST}) AS largest, count() AS canaries, countIf(${ABORTED}) AS aborted, countIf(failed) AS failed_count,
  sumIf(if(${ABORTED}, ${LARGEST}, 100), failed) AS failed_exposure
FROM dora_deployment_facts
WHERE ${CANARIES}
GROUP BY largest
ORDER BY largest`;
