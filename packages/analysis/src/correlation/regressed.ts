import { z } from "zod";
import type { Store } from "@drumbeat/store";
import { regressionsIn } from "./sql/impacts.ts";
import { deploymentSpans } from "./sql/timelines.ts";

export const RegressedDeployment = z.object({
  deploymentId: z.string(),
  service: z.string(),
  version: z.string(),
  startedAt: z.string(),
  /** Each metric its last stored impact found regressed (before/after, or a canary step). */
  metrics: z.array(z.object({ metric: z.string(), comparison: z.string(), relativeChange: z.number().nullable() })),
});
export type RegressedDeployment = z.infer<typeof RegressedDeployment>;

/**
 * Deployments of an environment started in [from, to) whose last stored impact regressed
 * a metric, newest first (the digest's section). Comparisons start after the deployment
 * does: those of the day after `to` are read too, for a deployment started just before it.
 */
export async function regressedDeployments(store: Store, scope: { environment: string; from: string; to: string }): Promise<RegressedDeployment[]> {
  const [spans, regressions] = await Promise.all([
    deploymentSpans(store, { ...scope, service: "" }),
    regressionsIn(store, { ...scope, service: "", to: new Date(Date.parse(scope.to) + 86_400_000).toISOString() }),
  ]);
  const started = new Map(spans.map((span) => [span.deploymentId, span]));
  const out = new Map<string, RegressedDeployment>();
  for (const row of regressions) {
    const span = started.get(row.deploymentId);
    if (!span) continue;
    const entry = out.get(row.deploymentId) ?? { deploymentId: span.deploymentId, service: span.service, version: span.version, startedAt: span.startedAt, metrics: [] };
    entry.metrics.push({ metric: row.metric, comparison: row.comparison, relativeChange: row.relativeChange });
    out.set(row.deploymentId, entry);
  }
  return [...out.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.deploymentId.localeCompare(b.deploymentId));
}
