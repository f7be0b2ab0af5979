import { FACTS_IN_SCOPE } from "../../dora/sql/facts.ts";
import { eachStep } from "./steps.ts";

/**
 * Production deployments that ship something (rollbacks re-ship what ran before and are
 * left out), with `promotion_path` and `rebuilt` as the facts build set them (sql/facts.ts).
 * A deployment is promoted unchanged when its artifact ran in an earlier environment and
 * its version never ran under another artifact before it.
 */
const SHIPPED = `${FACTS_IN_SCOPE} AND kind != 'rollback'`;
const TO_PRODUCTION_SECONDS = "intDiv(toUnixTimestamp64Milli(at) - toUnixTimestamp64Milli(promotion_path[1].at), 1000)";

export const PROMOTION_BY_SERVICE = `
SELECT service, count() AS deployments,
  countIf(notEmpty(promotion_path) AND NOT rebuilt) AS promoted_unchanged,
  countIf(empty(promotion_path)) AS straight,
  countIf(rebuilt) AS rebuilt_count,
  quantileExactInclusiveIf(0.5)(${TO_PRODUCTION_SECONDS}, notEmpty(promotion_path)) AS to_production_median
FROM dora_deployment_facts
WHERE ${SHIPPED}
GROUP BY service
ORDER BY service`;

export const PROMOTION_PATHS = `
SELECT arrayMap(s -> toString(s.environment), promotion_path) AS path, count() AS deployments,
  quantileExactInclusiveIf(0.5)(${TO_PRODUCTION_SECONDS}, notEmpty(promotion_path)) AS to_production_median
FROM dora_deployment_facts
WHERE ${SHIPPED}
GROUP BY path
ORDER BY deployments DESC, path
LIMIT 50`;

/** Per earlier environment: time from arriving there to arriving in the next environment (or production). */
export const PROMOTION_STAGES = `
SELECT stage.1 AS environment, count() AS deployments, quantileExactInclusive(0.5)(stage.2) AS before_promotion_median
FROM (
  SELECT ${eachStep("promotion_path", (step) => `${step}.at`, (untilNext) => `toString(s.environment), ${untilNext}`)} AS stage
  FROM dora_deployment_facts
  WHERE ${SHIPPED}
)
GROUP BY environment
ORDER BY environment`;

export const PROMOTION_FLAGGED = `
SELECT deployment_id, service, team, at, version, artifact,
  arrayMap(s -> (toString(s.environment), s.at), promotion_path) AS path, rebuilt, failed
FROM dora_deployment_facts
WHERE ${SHIPPED} AND (empty(promotion_path) OR rebuilt)
ORDER BY at DESC, deployment_id DESC
LIMIT {limit:UInt32}`;
