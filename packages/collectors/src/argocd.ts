import { z } from "zod";
import type { Collector, Delivery } from "./collector.ts";
import type { CollectorsConfig } from "./config.ts";
import { defined, firstPresent, labels } from "./fields.ts";
import { verifySharedToken } from "./signature.ts";
import { collect, ignored, mapped, readPayload, type MappingResult } from "./result.ts";
import { environmentOf, serviceTarget, targetFields } from "./targets.ts";

export const ARGOCD_MAPPING_VERSION = 1;

/**
 * Argo CD has no fixed webhook payload: the notifications webhook posts what a template
 * renders. Drumbeat's template (docs/integrations.md) sends the whole resource as JSON,
 * `{"app": {{toJson .app}}}` or `{"rollout": {{toJson .rollout}}}`, and the mapping reads
 * the state from the resource itself, whichever trigger fired.
 */
const Metadata = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().nullish(),
  uid: z.string().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
});
const Application = z.looseObject({
  metadata: Metadata,
  status: z.looseObject({
    sync: z.looseObject({ revision: z.string().nullish() }).nullish(),
    health: z.looseObject({ status: z.string().nullish(), lastTransitionTime: z.string().nullish() }).nullish(),
    operationState: z.looseObject({
      phase: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().nullish(),
      message: z.string().nullish(),
      syncResult: z.looseObject({ revision: z.string().nullish() }).nullish(),
      operation: z.looseObject({
        initiatedBy: z.looseObject({ username: z.string().nullish(), automated: z.boolean().nullish() }).nullish(),
        sync: z.looseObject({ revision: z.string().nullish() }).nullish(),
      }).nullish(),
    }).nullish(),
    history: z.array(z.looseObject({ revision: z.string().nullish(), deployStartedAt: z.string().nullish() })).nullish(),
  }),
});
const Rollout = z.looseObject({
  metadata: Metadata,
  spec: z.looseObject({
    strategy: z.looseObject({
      canary: z.looseObject({ steps: z.array(z.looseObject({ setWeight: z.number().optional() })).nullish() }).nullish(),
      blueGreen: z.looseObject({}).nullish(),
    }),
    template: z.looseObject({ spec: z.looseObject({ containers: z.array(z.looseObject({ image: z.string() })).min(1) }) }),
  }),
  status: z.looseObject({
    phase: z.string().nullish(),
    abort: z.boolean().nullish(),
    message: z.string().nullish(),
    currentPodHash: z.string().min(1),
    currentStepIndex: z.number().nullish(),
    canary: z.looseObject({ currentStepAnalysisRunStatus: z.looseObject({ status: z.string().nullish() }).nullish() }).nullish(),
    conditions: z.array(z.looseObject({ lastUpdateTime: z.string().nullish() })).nullish(),
  }),
});

type Metadata = z.infer<typeof Metadata>;

/** Service: the resource's `service` label or its name (configured, or as is). Environment: its `environment` or `env` label. */
function placement(config: CollectorsConfig, metadata: Metadata) {
  return {
    ...targetFields(serviceTarget(config, metadata.labels?.service, metadata.name)!),
    environment: environmentOf(config, firstPresent(metadata.labels?.environment, metadata.labels?.env)),
  };
}

const resourceKey = (metadata: Metadata) => metadata.uid ?? `${metadata.namespace ?? ""}/${metadata.name}`;

/**
 * One sync operation is one deployment. A sync that went back to a revision deployed
 * before the previous one is a rollback of the previous deployment.
 */
function mapApplication(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const app = readPayload(Application, (delivery.payload as { app?: unknown }).app, "app");
  const operation = app.status.operationState;
  if (!operation) return ignored("the application has no sync operation yet");
  const degraded = app.status.health?.status === "Degraded";
  let status: "started" | "succeeded" | "failed";
  if (operation.phase === "Running" || operation.phase === "Terminating") status = "started";
  else if (operation.phase === "Succeeded") status = degraded ? "failed" : "succeeded";
  else status = "failed";
  const revision = firstPresent(operation.syncResult?.revision, operation.operation?.sync?.revision, app.status.sync?.revision);
  if (!revision) return { kind: "malformed", issues: [{ path: "app.status.operationState.syncResult.revision", message: "no revision anywhere in the application status" }] };
  const key = resourceKey(app.metadata);
  const history = app.status.history ?? [];
  const previous = history.length >= 2 ? history[history.length - 2] : undefined;
  const rollsBackTo = previous && previous.revision !== revision && history.slice(0, -2).some((entry) => entry.revision === revision);
  const occurredAt = status === "started" ? operation.startedAt
    : degraded ? firstPresent(app.status.health?.lastTransitionTime) ?? delivery.receivedAt
    : firstPresent(operation.finishedAt) ?? operation.startedAt;
  const initiatedBy = operation.operation?.initiatedBy;
  return mapped([defined({
    type: "deployment" as const,
    id: `argocd:${key}:${operation.startedAt}:${status}`,
    source: "argocd",
    occurredAt,
    ...placement(config, app.metadata),
    deploymentId: `argocd:${key}:${operation.startedAt}`,
    version: revision,
    status,
    kind: rollsBackTo ? "rollback" as const : undefined,
    rollsBack: rollsBackTo && previous?.deployStartedAt ? `argocd:${key}:${previous.deployStartedAt}` : undefined,
    actor: firstPresent(initiatedBy?.username) ?? (initiatedBy?.automated ? "argocd (automated sync)" : undefined),
    labels: labels({ application: app.metadata.name, phase: operation.phase, health: app.status.health?.status, message: operation.message?.slice(0, 2_000) }),
  })]);
}

/** The canary weight a rollout has reached: the last setWeight among the steps done. */
function canaryWeight(rollout: z.infer<typeof Rollout>): number | undefined {
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  const done = steps.slice(0, rollout.status.currentStepIndex ?? 0);
  return done.reverse().find((step) => step.setWeight !== undefined)?.setWeight;
}

/**
 * One rollout revision (pod template hash) is one deployment: canary steps and analysis
 * results are its lifecycle, an abort rolls it back, reaching Healthy after the last step
 * (promotion) succeeds it.
 */
function mapRollout(delivery: Delivery, config: CollectorsConfig): MappingResult {
  const rollout = readPayload(Rollout, (delivery.payload as { rollout?: unknown }).rollout, "rollout");
  const { status: state, spec } = rollout;
  const steps = spec.strategy.canary?.steps?.length ?? 0;
  const finished = state.currentStepIndex === undefined || state.currentStepIndex === null || state.currentStepIndex >= steps;
  let status: "started" | "succeeded" | "failed" | "rolled_back";
  if (state.abort) status = "rolled_back";
  else if (state.phase === "Degraded") status = "failed";
  else if (state.phase === "Healthy" && finished) status = "succeeded";
  else status = "started";
  const image = spec.template.spec.containers[0]!.image;
  const weight = status === "started" ? canaryWeight(rollout) : undefined;
  const analysis = state.canary?.currentStepAnalysisRunStatus?.status ?? undefined;
  const updated = (state.conditions ?? []).map((condition) => condition.lastUpdateTime).filter((time): time is string => !!time).sort().pop();
  const key = resourceKey(rollout.metadata);
  return mapped([defined({
    type: "deployment" as const,
    id: `argocd:rollout:${key}:${state.currentPodHash}:${status}:${state.currentStepIndex ?? "-"}:${analysis ?? "-"}`,
    source: "argo-rollouts",
    occurredAt: updated ?? delivery.receivedAt,
    ...placement(config, rollout.metadata),
    deploymentId: `argo-rollouts:${key}:${state.currentPodHash}`,
    version: rollout.metadata.annotations?.["drumbeat.dev/version"] ?? image.split(":").pop() ?? image,
    artifact: image,
    status,
    strategy: spec.strategy.canary ? "canary" as const : spec.strategy.blueGreen ? "blue_green" as const : undefined,
    canaryWeight: weight,
    labels: labels({ rollout: rollout.metadata.name, phase: state.phase, step: state.currentStepIndex, analysis, message: state.message?.slice(0, 2_000) }),
  })]);
}

export const argocd: Collector = {
  source: "argocd",
  mappingVersion: ARGOCD_MAPPING_VERSION,
  headers: ["user-agent"],
  verify: (secret, _body, headers) => verifySharedToken(secret, headers),
  map: (delivery, config) => collect(() => {
    const payload = delivery.payload as Record<string, unknown> | null;
    if (payload && typeof payload === "object" && "app" in payload) return mapApplication(delivery, config);
    if (payload && typeof payload === "object" && "rollout" in payload) return mapRollout(delivery, config);
    return { kind: "malformed", issues: [{ path: "app", message: 'expected {"app": …} or {"rollout": …}: use the template in docs/integrations.md' }] };
  }),
};
