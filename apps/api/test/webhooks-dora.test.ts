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

  it("turns a pull_request / pull_request_review sequence, its pushes and its deployment into the lead-time breakdown", async () => {
    // DERIVED from the octokit examples (pull request #2 of Codertocat/Hello-World): re-dated into the week after,
    // the head and merge commits given SHAs, one review made approving, the closed one merged.
    const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    const MERGE = "7a2b9d1c0e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b";
    const branch = push();
    branch.commits = [{ ...branch.commits[0], id: HEAD, timestamp: "2026-03-09T06:00:00Z" }];
    const main = push();
    main.commits = [{ ...main.commits[0], id: MERGE, timestamp: "2026-03-09T09:30:00Z" }];
    const opened = example("pull_request", (e) => e.action === "opened");
    Object.assign(opened.pull_request, { created_at: "2026-03-09T07:00:00Z", head: { ...opened.pull_request.head, sha: HEAD } });
    const review = (state: string, at: string) => {
      const payload = example("pull_request_review", (e) => e.action === "submitted");
      Object.assign(payload.review, { state, submitted_at: at });
      Object.assign(payload.pull_request, { head: { ...payload.pull_request.head, sha: HEAD } });
      return payload;
    };
    const closed = example("pull_request", (e) => e.action === "closed");
    Object.assign(closed.pull_request, { merged: true, merged_at: "2026-03-09T09:30:00Z", merge_commit_sha: MERGE, head: { ...closed.pull_request.head, sha: HEAD } });
    const shipped = (state: string, at: string, id: number) => {
      const payload = deploymentStatus(state, at, id);
      Object.assign(payload.deployment, { id: 4242, sha: MERGE, created_at: "2026-03-09T10:00:00Z" });
      return payload;
    };

    await github("push", "pr-push-branch", branch);
    await github("pull_request", "pr-opened", opened);
    await github("pull_request_review", "pr-review-1", review("commented", "2026-03-09T08:00:00Z"));
    await github("pull_request_review", "pr-review-2", review("approved", "2026-03-09T08:30:00Z"));
    await github("pull_request", "pr-merged", closed);
    await github("push", "pr-push-main", main);
    await github("deployment_status", "pr-status-1", shipped("in_progress", "2026-03-09T10:01:00Z", 11));
    await github("deployment_status", "pr-status-2", shipped("success", "2026-03-09T10:05:00Z", 12));
    // A redelivered review must not move a stage.
    await github("pull_request_review", "pr-review-1", review("commented", "2026-03-09T08:00:00Z"));

    const { status, body } = await api.call("/api/v1/dora/lead-times?from=2026-03-09T00:00:00Z&to=2026-03-16T00:00:00Z&service=hello&groupBy=service");
    assert.equal(status, 200, JSON.stringify(body));
    const stage = (medianSeconds: number) => ({ count: 1, medianSeconds, p90Seconds: null });
    const breakdown = {
      pullRequests: 1,
      // Head commit 06:00 -> opened 07:00 -> first review 08:00 -> merged 09:30 -> deployed 10:05.
      stages: { coding: stage(3_600), pickup: stage(3_600), review: stage(5_400), deploy: stage(2_100) },
      withoutPullRequest: { count: 0, medianSeconds: null, p90Seconds: null },
    };
    assert.deepEqual(body.breakdown, breakdown);
    assert.deepEqual(body.groups, [{ key: "hello", ...breakdown }]);
    assert.deepEqual(body.commits.map((c: any) => [c.sha, c.leadSeconds]), [[MERGE, 2_100]]);
  });

  it("rejects an unknown breakdown grouping by its query field", async () => {
    const { status, body } = await api.call("/api/v1/dora/lead-times?groupBy=repository");
    assert.equal(status, 400);
    assert.ok(body.issues.some((issue: any) => issue.path === "query.groupBy"), JSON.stringify(body));
  });
});
