import { scoreComparisons, type GateVerdict } from "./gate.ts";
import type { DeploymentImpact } from "./impact.ts";
import type { CorrelationSettings } from "./settings.ts";

/**
 * The deploy gate's answer for a deployment: a canary is judged on its latest step
 * (canary against baseline now), any other deployment on its before/after comparison,
 * which needs it to have finished.
 */
export function gateOf(impact: DeploymentImpact, settings: CorrelationSettings): GateVerdict & { deploymentId: string; comparison: string } {
  const step = impact.canary?.steps.at(-1);
  if (step) {
    const gate = scoreComparisons(step.metrics, settings);
    return { ...gate, deploymentId: impact.deploymentId, comparison: `canary step ${step.step} (weight ${step.weight})` };
  }
  if (impact.finishedAt === null) {
    return { ok: false, score: null, verdict: "inconclusive", reasons: ["the deployment has not finished, so there is no after window yet"], deploymentId: impact.deploymentId, comparison: "before/after" };
  }
  return { ...scoreComparisons(impact.beforeAfter.metrics, settings), deploymentId: impact.deploymentId, comparison: "before/after" };
}
