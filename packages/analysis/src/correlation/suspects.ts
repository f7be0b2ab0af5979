import { z } from "zod";
import type { Store } from "@drumbeat/store";
import { ruleFor, type CorrelationSettings } from "./settings.ts";
import { regressionsIn } from "./sql/impacts.ts";
import { deploymentSpans, incidentOpenings } from "./sql/timelines.ts";

export const SuspectEvidence = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("metric_regression"),
    metric: z.string(),
    comparison: z.string(),
    step: z.number(),
    relativeChange: z.number().nullable(),
    shift: z.number().nullable(),
    pValue: z.number(),
    critical: z.boolean(),
  }),
  z.object({
    kind: z.literal("incident"),
    incidentId: z.string(),
    openedAt: z.string(),
    title: z.string(),
    severity: z.string(),
    /** The incident names this deployment as its cause. */
    namedCause: z.boolean(),
    minutesAfterStart: z.number(),
  }),
]);

export const Suspect = z.object({
  deploymentId: z.string(),
  service: z.string(),
  environment: z.string(),
  version: z.string(),
  startedAt: z.string(),
  /** Higher is more suspicious (see docs/metrics.md). */
  suspicion: z.number(),
  evidence: z.array(SuspectEvidence),
});
export type Suspect = z.infer<typeof Suspect>;

/** Evidence weights: a named cause outweighs everything; a regression of a critical metric outweighs an incident that merely followed. */
const WEIGHT = { namedCause: 100, followingIncident: 40, criticalRegression: 60, regression: 30 } as const;

/**
 * Deployments started in [from, to) that regressed a metric (their last stored impact)
 * or were followed by an incident of the same service (named as its cause, or opened
 * before that service's next deployment and within `incidentWindowHours`), most
 * suspicious first.
 */
export async function findSuspects(
  store: Store,
  scope: { environment: string; service?: string; from: string; to: string; incidentWindowHours: number },
  settings: CorrelationSettings,
): Promise<Suspect[]> {
  const service = scope.service ?? "";
  const spans = await deploymentSpans(store, { environment: scope.environment, service, from: scope.from, to: scope.to });
  const windowMs = scope.incidentWindowHours * 3_600_000;
  const [regressions, incidents] = await Promise.all([
    regressionsIn(store, { environment: scope.environment, service, from: scope.from, to: new Date(Date.parse(scope.to) + 86_400_000).toISOString() }),
    incidentOpenings(store, { environment: scope.environment, from: scope.from, to: new Date(Date.parse(scope.to) + windowMs).toISOString() }),
  ]);
  const suspects = new Map<string, Suspect>(spans.map((span) => [span.deploymentId, {
    deploymentId: span.deploymentId, service: span.service, environment: scope.environment, version: span.version,
    startedAt: span.startedAt, suspicion: 0, evidence: [],
  }]));

  for (const row of regressions) {
    const suspect = suspects.get(row.deploymentId);
    if (!suspect) continue;
    const critical = ruleFor(row.metric, settings.rules).critical;
    suspect.evidence.push({ kind: "metric_regression", metric: row.metric, comparison: row.comparison, step: row.step, relativeChange: row.relativeChange, shift: row.shift, pValue: row.pValue, critical });
    suspect.suspicion += critical ? WEIGHT.criticalRegression : WEIGHT.regression;
  }

  const byService = new Map<string, typeof spans>();
  for (const span of spans) byService.set(span.service, [...(byService.get(span.service) ?? []), span]);
  for (const incident of incidents) {
    const opened = Date.parse(incident.openedAt);
    const named = incident.causedBy ? suspects.get(incident.causedBy) : undefined;
    // otherwise the service's last deployment started before the incident opened, if recent enough
    const candidates = (byService.get(incident.service) ?? []).filter((span) => Date.parse(span.startedAt) <= opened);
    const latest = candidates.at(-1);
    const following = !named && latest && opened - Date.parse(latest.startedAt) <= windowMs ? suspects.get(latest.deploymentId) : undefined;
    const suspect = named ?? following;
    if (!suspect) continue;
    suspect.evidence.push({
      kind: "incident", incidentId: incident.incidentId, openedAt: incident.openedAt, title: incident.title, severity: incident.severity,
      namedCause: Boolean(named), minutesAfterStart: Math.round((opened - Date.parse(suspect.startedAt)) / 60_000),
    });
    suspect.suspicion += named ? WEIGHT.namedCause : WEIGHT.followingIncident;
  }

  return [...suspects.values()]
    .filter((suspect) => suspect.evidence.length > 0)
    .sort((a, b) => b.suspicion - a.suspicion || b.startedAt.localeCompare(a.startedAt));
}
