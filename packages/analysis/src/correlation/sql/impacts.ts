import { z } from "zod";
import { dateTimeParam, type Store } from "@drumbeat/store";
import { MetricComparison } from "../compare.ts";

export interface StoredComparison extends MetricComparison {
  comparison: "before_after" | "canary";
  step: number;
  reference: { from: string; to: string };
  candidate: { from: string; to: string };
}

interface ImpactKey {
  environment: string;
  service: string;
  deploymentId: string;
}

/** Replaces a deployment's stored comparisons and records the build with its verdict. */
export async function saveImpact(store: Store, key: ImpactKey, verdict: string, comparisons: readonly StoredComparison[], computedAt: string) {
  const at = dateTimeParam(computedAt);
  if (comparisons.length > 0) {
    await store.insert("deployment_impacts", comparisons.map((c) => ({
      environment: key.environment, service: key.service, deployment_id: key.deploymentId,
      comparison: c.comparison, step: c.step, metric: c.metric, direction: c.direction, verdict: c.verdict,
      window_a_from: dateTimeParam(c.reference.from), window_a_to: dateTimeParam(c.reference.to),
      window_b_from: dateTimeParam(c.candidate.from), window_b_to: dateTimeParam(c.candidate.to),
      n_a: c.samples.reference, n_b: c.samples.candidate,
      median_a: c.medians.reference ?? Number.NaN, median_b: c.medians.candidate ?? Number.NaN,
      shift: c.shift ?? Number.NaN, relative_change: c.relativeChange ?? Number.NaN,
      u: c.u ?? Number.NaN, p_value: c.pValue ?? Number.NaN, method: c.method ?? "", computed_at: at,
    })));
  }
  await store.insert("deployment_impact_builds", [{ environment: key.environment, service: key.service, deployment_id: key.deploymentId, verdict, computed_at: at }]);
}

export const RegressionRow = z.object({
  deploymentId: z.string(),
  service: z.string(),
  environment: z.string(),
  comparison: z.string(),
  step: z.number(),
  metric: z.string(),
  relativeChange: z.number().nullable(),
  shift: z.number().nullable(),
  pValue: z.number(),
  candidateFrom: z.string(),
});

/**
 * The regressed comparisons of an environment's deployments whose after (or canary)
 * window starts in [from, to), from each deployment's last build only.
 */
export async function regressionsIn(store: Store, scope: { environment: string; service: string; from: string; to: string }) {
  return store.query({
    name: "correlation.regressions",
    sql: `SELECT deployment_id AS deploymentId, service, environment, comparison, step, metric,
        if(isNaN(relative_change), NULL, relative_change) AS relativeChange, if(isNaN(shift), NULL, shift) AS shift,
        p_value AS pValue, window_b_from AS candidateFrom
      FROM deployment_impacts FINAL
      WHERE environment = {environment:String} AND ({service:String} = '' OR service = {service:String})
        AND window_b_from >= {from:DateTime64(3, 'UTC')} AND window_b_from < {to:DateTime64(3, 'UTC')}
        AND verdict = 'regressed'
        AND (environment, service, deployment_id, computed_at) IN (
          SELECT environment, service, deployment_id, max(computed_at) FROM deployment_impact_builds
          WHERE environment = {environment:String} AND ({service:String} = '' OR service = {service:String})
          GROUP BY environment, service, deployment_id)
      ORDER BY deployment_id, metric`,
    params: { ...scope, from: dateTimeParam(scope.from), to: dateTimeParam(scope.to) },
    rows: RegressionRow,
  });
}
