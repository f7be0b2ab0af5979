import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { startTestApi, type TestApi } from "./helpers.ts";

// End to end: the tools' own payloads (octokit examples, a real PagerDuty capture), re-dated
// into one morning (DERIVED: only ids, SHAs and times are changed), posted as the tools
// would, then read back as DORA figures.
const require = createRequire(import.meta.url);
const index: { name: string; examples: any[] }[] = require("@octokit/webhooks-examples/api.github.com/index.json");
const example = (name: string, pick: (e: any) => boolean = () => true) => structuredClone(index.find((e) => e.name === name)!.examples.find(pick));
const pagerduty = (file: string) => JSON.parse(readFileSync(new URL(`../../../packages/collectors/test/fixtures/pagerduty/${file}`, import.meta.url), "utf8"));

const SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";

function push() {
  const payload = example("push", (e) => e.commits.length > 0);
  payload.commits = [{ ...payload.commits[0], id: SHA, timestamp: "2026-03-02T09:00:00Z" }];
  payload.head_commit = payload.commits[0];
  return payload;
}
function deployment() {
  const payload = example("deployment", (e) => e.deployment.environment === "production");
  Object.assign(payload.deployment, { sha: SHA, created_at: "2026-03-02T10:00:00Z" });
  return payload;
}
function deploymentStatus(state: string, at: string, id: number) {
  const payload = example("deployment_status", (e) => e.deployment.environment === "production");
  Object.assign(payload.deployment, { sha: SHA, created_at: "2026-03-02T10:00:00Z" });
  Object.assign(payload.deployment_status, { id, state, created_at: at, updated_at: at });
  return payload;
}
function incident(file: string, at: string) {
  const payload = pagerduty(file);
  payload.event.occurred_at = at;
  return payload;
}

describe("webhooks to DORA figures", () => {
  let api: TestApi;
  before(async () => {
    // Auth off and no secrets: the loopback development set-up, where unsigned deliveries are accepted.
    api = await startTestApi("webhooksdora", {
      collectors: { repositories: { "Codertocat/Hello-World": { service: "hello", team: "octo" } }, services: { PA2P440: { service: "hello", team: "octo" } } },
    });
  });
  after(() => api.dispose());

  const post = async (source: string, headers: Record<string, string>, payload: unknown) => {
    const response = await api.call(`/webhooks/${source}`, { method: "POST", body: JSON.stringify(payload), headers: { "content-type": "application/json", ...headers } });
    assert.equal(response.status, 202, JSON.stringify(response.body));
    assert.ok(response.body.ids?.length > 0, JSON.stringify(response.body));
    return response.body;
  };
  const github = (event: string, delivery: string, payload: unknown) => post("github", { "x-github-event": event, "x-github-delivery": delivery }, payload);

  it("turns push, deployment, statuses and a PagerDuty incident into the four keys", async () => {
    await github("push", "e2e-push", push());
    await github("deployment", "e2e-deployment", deployment());
    await github("deployment_status", "e2e-status-1", deploymentStatus("in_progress", "2026-03-02T10:01:00Z", 1));
    await github("deployment_status", "e2e-status-2", deploymentStatus("success", "2026-03-02T10:05:00Z", 2));
    // GitHub redelivers the success: it must not count twice.
    await github("deployment_status", "e2e-status-2", deploymentStatus("success", "2026-03-02T10:05:00Z", 2));
    await post("pagerduty", { "x-webhook-id": "e2e-pd-1" }, incident("incident.triggered.zulip.json", "2026-03-02T11:00:00.000Z"));
    await post("pagerduty", { "x-webhook-id": "e2e-pd-2" }, incident("incident.resolved.zulip.json", "2026-03-02T11:30:00.000Z"));

    const { status, body } = await api.call("/api/v1/dora?from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z&service=hello");
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.deploymentFrequency.count, 1);
    // The pushed commit (09:00) reached production with the successful status (10:05).
    assert.deepEqual([body.leadTime.commits, body.leadTime.medianSeconds], [1, 3_900]);
    // The incident opened an hour after the deployment, inside the default 24 h window.
    assert.deepEqual([body.changeFailureRate.failed, body.changeFailureRate.total, body.changeFailureRate.rate], [1, 1, 1]);
    // From the incident's opening (11:00) to its resolution (11:30).
    assert.deepEqual([body.recoveryTime.failures, body.recoveryTime.medianSeconds], [1, 1_800]);
  });
});
