import { z } from "zod";
import { getDeployment, impactVerdicts, type Store } from "@drumbeat/store";
import { DeploymentVerdict, MetricComparison, compareSamples, overallVerdict } from "./compare.ts";
import { noteServiceChanged } from "../dora/facts.ts";
import type { CorrelationSettings } from "./settings.ts";
import { saveImpact, type StoredComparison } from "./sql/impacts.ts";
import { minuteValues, versionMinuteValues, type MinuteValue } from "./sql/windows.ts";

const MINUTE_MS = 60_000;
const TERMINAL = new Set(["succeeded", "failed", "rolled_back"]);

export const TimeWindow = z.object({ from: z.string(), to: z.string() });
export type TimeWindow = z.infer<typeof TimeWindow>;

export const CanaryStep = z.object({
  step: z.number(),
  weight: z.number(),
  window: TimeWindow,
  verdict: DeploymentVerdict,
  metrics: z.array(MetricComparison),
});

export const DeploymentImpact = z.object({
  deploymentId: z.string(),
  service: z.string(),
  environment: z.string(),
  version: z.string(),
  strategy: z.string(),
  startedAt: z.string(),
  /** When it reached succeeded, failed or rolled_back; null while in progress. */
  finishedAt: z.string().nullable(),
  verdict: DeploymentVerdict,
  computedAt: z.string(),
  beforeAfter: z.object({
    before: TimeWindow,
    /** Null until the deployment finished. */
    after: TimeWindow.nullable(),
    verdict: DeploymentVerdict,
    metrics: z.array(MetricComparison),
  }),
  /** Canary version against every other version, per canary step; null for other strategies. */
  canary: z.object({ steps: z.array(CanaryStep) }).nullable(),
});
export type DeploymentImpact = z.infer<typeof DeploymentImpact>;

type Deployment = NonNullable<Awaited<ReturnType<typeof getDeployment>>>;

const iso = (ms: number) => new Date(ms).toISOString();
/** Windows are whole minutes: the rollup's grain. */
const floorMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;

function timeline(deployment: Deployment, now: number) {
  const startedAt = Date.parse(deployment.events[0]?.occurredAt ?? deployment.startedAt);
  const finished = deployment.events.find((event) => TERMINAL.has(event.status));
  const finishedAt = finished ? Date.parse(finished.occurredAt) : null;
  const stepEvents = deployment.events.filter((event) => event.canaryWeight !== null && !TERMINAL.has(event.status));
  const steps = stepEvents.map((event, index) => {
    const next = deployment.events.find((later) => Date.parse(later.occurredAt) > Date.parse(event.occurredAt));
    const end = next ? Date.parse(next.occurredAt) : (finishedAt ?? now);
    return { step: index + 1, weight: event.canaryWeight!, from: floorMinute(Date.parse(event.occurredAt)), to: Math.max(floorMinute(end), floorMinute(Date.parse(event.occurredAt))) };
  });
  return { startedAt, finishedAt, steps };
}

function byMetric(rows: readonly MinuteValue[], from: number, to: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const row of rows) {
    const at = Date.parse(row.minute);
    if (at < from || at >= to) continue;
    const list = out.get(row.metric) ?? [];
    list.push(row.value);
    out.set(row.metric, list);
  }
  return out;
}

function compareAll(reference: Map<string, number[]>, candidate: Map<string, number[]>, settings: CorrelationSettings): MetricComparison[] {
  const metrics = [...new Set([...reference.keys(), ...candidate.keys()])].sort();
  return metrics.map((metric) => compareSamples(metric, reference.get(metric) ?? [], candidate.get(metric) ?? [], settings));
}

/**
 * What a deployment did to its service's metrics: the before window (ending when it
 * started) against the after window (starting when it finished, the rollout excluded),
 * and for canaries each step's canary version against the other versions over the
 * step's minutes. `now` bounds the after window and a running canary step.
 */
export async function computeImpact(store: Store, deployment: Deployment, settings: CorrelationSettings, now = Date.now()): Promise<{ impact: DeploymentImpact; stored: StoredComparison[]; lastReceived: number }> {
  const { startedAt, finishedAt, steps } = timeline(deployment, now);
  const window = settings.windowMinutes * MINUTE_MS;
  const scope = { environment: deployment.environment, service: deployment.service };
  const before = { from: floorMinute(startedAt) - window, to: floorMinute(startedAt) };
  const after = finishedAt === null ? null : { from: ceilMinute(finishedAt), to: Math.min(ceilMinute(finishedAt) + window, floorMinute(now)) };
  const rows = await minuteValues(store, { ...scope, from: iso(before.from), to: iso(after?.to ?? before.to) });
  const reference = byMetric(rows, before.from, before.to);
  const comparisons = after ? compareAll(reference, byMetric(rows, after.from, after.to), settings) : compareAll(reference, new Map(), settings);
  const stored: StoredComparison[] = comparisons.map((c) => ({
    ...c, comparison: "before_after", step: 0,
    reference: { from: iso(before.from), to: iso(before.to) },
    candidate: after ? { from: iso(after.from), to: iso(after.to) } : { from: iso(before.to), to: iso(before.to) },
  }));

  let lastReceived = rows.reduce((latest, row) => Math.max(latest, Date.parse(row.received)), 0);
  let canary: DeploymentImpact["canary"] = null;
  if (deployment.strategy === "canary" && steps.length > 0) {
    const versionRows = await versionMinuteValues(store, { ...scope, version: deployment.version, from: iso(steps[0]!.from), to: iso(steps.at(-1)!.to) });
    lastReceived = versionRows.reduce((latest, row) => Math.max(latest, Date.parse(row.received)), lastReceived);
    canary = {
      steps: steps.map((step) => {
        const inStep = versionRows.filter((row) => Date.parse(row.minute) >= step.from && Date.parse(row.minute) < step.to);
        const metrics = compareAll(byMetric(inStep.filter((r) => !r.candidate), step.from, step.to), byMetric(inStep.filter((r) => r.candidate), step.from, step.to), settings);
        for (const c of metrics) {
          stored.push({ ...c, comparison: "canary", step: step.step, reference: { from: iso(step.from), to: iso(step.to) }, candidate: { from: iso(step.from), to: iso(step.to) } });
        }
        return { step: step.step, weight: step.weight, window: { from: iso(step.from), to: iso(step.to) }, verdict: overallVerdict(metrics), metrics };
      }),
    };
  }

  const beforeAfterVerdict = after ? overallVerdict(comparisons) : "not_enough_data";
  const canaryVerdicts = canary?.steps.map((step) => ({ verdict: step.verdict })) ?? [];
  const impact: DeploymentImpact = {
    deploymentId: deployment.deploymentId, ...scope, version: deployment.version, strategy: deployment.strategy,
    startedAt: iso(startedAt), finishedAt: finishedAt === null ? null : iso(finishedAt),
    verdict: overallVerdict([{ verdict: beforeAfterVerdict }, ...canaryVerdicts]),
    computedAt: iso(now),
    beforeAfter: { before: { from: iso(before.from), to: iso(before.to) }, after: after && { from: iso(after.from), to: iso(after.to) }, verdict: beforeAfterVerdict, metrics: comparisons },
    canary,
  };
  return { impact, stored, lastReceived };
}

/**
 * A deployment's impact, computed now and stored when the stored one is missing or
 * stale: its windows received points, or the deployment changed, after the last build.
 */
export async function impactOf(store: Store, deploymentId: string, settings: CorrelationSettings, now = Date.now()): Promise<DeploymentImpact | undefined> {
  const deployment = await getDeployment(store, deploymentId);
  if (!deployment) return undefined;
  const key = { environment: deployment.environment, service: deployment.service, deploymentId };
  const [{ impact, stored, lastReceived }, [build]] = await Promise.all([computeImpact(store, deployment, settings, now), impactVerdicts(store, [key])]);
  const changedAt = Math.max(lastReceived, Date.parse(deployment.events.at(-1)?.occurredAt ?? deployment.statusAt));
  const stale = !build || Date.parse(build.computedAt) < changedAt || build.verdict !== impact.verdict;
  if (stale) {
    await saveImpact(store, key, impact.verdict, stored, impact.computedAt);
    // A regression found, changed or gone moves the change failure rate when regressions count (docs/dora.md).
    if (build?.verdict === "regressed" || impact.verdict === "regressed") await noteServiceChanged(store, key.environment, key.service);
  }
  return impact;
}
