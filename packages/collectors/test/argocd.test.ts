import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS } from "../src/index.ts";
import { config, delivery, fixture } from "./helpers.ts";

const argocd = COLLECTORS.argocd;
const cfg = config({ services: { "velero-test": { service: "velero", team: "sre" } } });
const map = (payload: unknown) => argocd.map(delivery(payload), cfg);
const app = () => fixture("argocd", "application.real-status.json");

describe("argo cd application notifications ({\"app\": {{toJson .app}}})", () => {
  it("maps the real synced, healthy application to a succeeded deployment of its revision", () => {
    const [event] = (map({ app: app() }) as any).events;
    assert.deepEqual(
      [event.status, event.deploymentId, event.version, event.occurredAt, event.service, event.team, event.environment, event.actor, event.kind],
      ["succeeded", "argocd:94978696-4fd4-40b3-a1de-38d9df9e9316:2024-03-05T07:33:03Z", "ea8759964626a583667a2bfd08f334ec2070040a",
        "2024-03-05T07:33:04.000Z", "velero", "sre", "production", "foo@example.com", undefined],
    );
  });

  it("maps a failed sync and a degraded health as failed, a running sync as started (DERIVED states)", () => {
    const withOperation = (phase: string) => { const a = app(); a.status.operationState.phase = phase; return { app: a }; };
    assert.equal((map(withOperation("Failed")) as any).events[0].status, "failed");
    assert.equal((map(withOperation("Running")) as any).events[0].status, "started");
    const degraded = app();
    degraded.status.health = { status: "Degraded", lastTransitionTime: "2024-03-05T07:40:00Z" };
    const [event] = (map({ app: degraded }) as any).events;
    assert.deepEqual([event.status, event.occurredAt], ["failed", "2024-03-05T07:40:00.000Z"]);
  });

  it("recognises a sync back to an older revision as a rollback of the previous deployment (DERIVED history)", () => {
    const rolledBack = app();
    const history = rolledBack.status.history;
    const [good, bad] = ["a".repeat(40), "b".repeat(40)];
    history[history.length - 2].revision = good;
    history[history.length - 1].revision = bad;
    rolledBack.status.operationState.syncResult.revision = good;
    history.push({ ...history[history.length - 1], id: 24, revision: good, deployStartedAt: rolledBack.status.operationState.startedAt });
    const [event] = (map({ app: rolledBack }) as any).events;
    assert.equal(event.kind, "rollback");
    assert.equal(event.rollsBack, `argocd:94978696-4fd4-40b3-a1de-38d9df9e9316:${history[history.length - 2].deployStartedAt}`);
  });

  it("names what is wrong with other bodies", () => {
    assert.equal((map({ resources: [] }) as any).issues[0].path, "app");
    assert.deepEqual((map({ app: { metadata: {} } }) as any).issues.map((i: any) => i.path), ["app.metadata.name", "app.status"]);
  });
});

describe("argo rollouts notifications ({\"rollout\": {{toJson .rollout}}})", () => {
  const rollout = () => fixture("argocd", "rollout.canary-step.drumbeat.json");

  it("maps a paused canary step to a started canary deployment at the weight reached, with the analysis state", () => {
    const [event] = (map(rollout()) as any).events;
    assert.deepEqual(
      [event.status, event.strategy, event.canaryWeight, event.deploymentId, event.version, event.artifact, event.environment, event.labels.analysis, event.occurredAt],
      ["started", "canary", 20, "argo-rollouts:5f0c1a2e-0000-4000-8000-000000000001:6b8d5c9f7", "4f2a9c1", "registry.example.com/shop/checkout:4f2a9c1", "production", "Running", "2026-03-02T10:12:00.000Z"],
    );
  });

  it("maps an abort to rolled_back, a degraded rollout to failed and full promotion to succeeded", () => {
    const aborted = rollout(); aborted.rollout.status.abort = true; aborted.rollout.status.phase = "Degraded";
    aborted.rollout.status.canary.currentStepAnalysisRunStatus.status = "Failed";
    assert.equal((map(aborted) as any).events[0].status, "rolled_back");
    const degraded = rollout(); degraded.rollout.status.phase = "Degraded";
    assert.equal((map(degraded) as any).events[0].status, "failed");
    const promoted = rollout(); promoted.rollout.status.phase = "Healthy"; promoted.rollout.status.currentStepIndex = 5;
    const [event] = (map(promoted) as any).events;
    assert.deepEqual([event.status, event.canaryWeight], ["succeeded", undefined]);
  });

  it("gives each state its own id and the same state the same id (notifications repeat)", () => {
    const ids = (payload: any) => (map(payload) as any).events[0].id;
    const later = rollout(); later.rollout.status.currentStepIndex = 4;
    assert.equal(ids(rollout()), ids(rollout()));
    assert.notEqual(ids(rollout()), ids(later));
    assert.equal((map(later) as any).events[0].canaryWeight, 60);
  });
});
