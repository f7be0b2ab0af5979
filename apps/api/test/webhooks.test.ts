import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { z } from "zod";
import { hmacSha256Hex } from "@drumbeat/collectors";
import { createToken, writeJournal } from "@drumbeat/store";
import { startTestApi, type TestApi } from "./helpers.ts";

const require = createRequire(import.meta.url);
const githubExamples: { name: string; examples: any[] }[] = require("@octokit/webhooks-examples/api.github.com/index.json");
const example = (name: string, pick: (e: any) => boolean = () => true) => githubExamples.find((e) => e.name === name)!.examples.find(pick);

const GITHUB_SECRET = "It's a Secret to Everybody";
const PAGERDUTY_SECRET = "pd-secret";
const SECRETS = { github: GITHUB_SECRET, pagerduty: PAGERDUTY_SECRET, gitlab: "gl-token", argocd: "argo-token", opsgenie: "og-token", sentry: "sentry-secret", unleash: "unleash-token", launchdarkly: "ld-secret" };
const vendorFixture = (path: string) => readFileSync(new URL(`../../../packages/collectors/test/fixtures/${path}`, import.meta.url), "utf8");
const hmac = (secret: string, body: string) => hmacSha256Hex(secret, Buffer.from(body));

/** One real payload per source (flags has no secret here: it tests the refusal), with its own way of signing. */
const SIGNED: Record<string, { body: string; headers: (body: string, secret: string) => Record<string, string> }> = {
  github: { body: JSON.stringify(example("push", (e) => e.commits.length > 0)), headers: (b, s) => ({ "x-github-event": "push", "x-github-delivery": "redelivered-1", "x-hub-signature-256": `sha256=${hmac(s, b)}` }) },
  gitlab: { body: vendorFixture("gitlab/deployment.success.json"), headers: (_b, s) => ({ "x-gitlab-event": "Deployment Hook", "x-gitlab-token": s }) },
  argocd: { body: JSON.stringify({ app: JSON.parse(vendorFixture("argocd/application.real-status.json")) }), headers: (_b, s) => ({ "x-drumbeat-token": s }) },
  pagerduty: { body: vendorFixture("pagerduty/incident.triggered.zulip.json"), headers: (b, s) => ({ "x-webhook-id": "pd-redelivered", "x-pagerduty-signature": `v1=${hmac(s, b)}` }) },
  opsgenie: { body: vendorFixture("opsgenie/alert.create.json"), headers: (_b, s) => ({ "x-drumbeat-token": s }) },
  sentry: { body: vendorFixture("sentry/issue.created.json"), headers: (b, s) => ({ "sentry-hook-resource": "issue", "sentry-hook-signature": hmac(s, b) }) },
  unleash: { body: vendorFixture("flags/unleash.feature-environment-disabled.drumbeat.json"), headers: (_b, s) => ({ authorization: s }) },
  launchdarkly: { body: vendorFixture("flags/launchdarkly.flag-turned-off.drumbeat.json"), headers: (b, s) => ({ "x-ld-signature": hmac(s, b) }) },
};

describe("POST /webhooks/<source>", () => {
  let api: TestApi;
  let admin: string;
  before(async () => {
    api = await startTestApi("webhooks", {
      auth: "on",
      collectors: { secrets: SECRETS, repositories: { "Codertocat/Hello-World": { service: "hello", team: "octo" } } },
    });
    admin = (await createToken(api.store, "test-admin", ["admin"])).token;
  });
  after(() => api.dispose());

  const count = async (table: string) => {
    const [row] = await api.store.query({ name: "test.count", sql: `SELECT count() AS n FROM ${table} FINAL`, rows: z.object({ n: z.number() }) });
    return row!.n;
  };
  const postGithub = (event: string, payload: unknown, delivery: string, sign: (body: string) => string | undefined = (body) => `sha256=${hmacSha256Hex(GITHUB_SECRET, Buffer.from(body))}`) => {
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": delivery };
    const signature = sign(body);
    if (signature) headers["x-hub-signature-256"] = signature;
    return api.call("/webhooks/github", { method: "POST", body, headers });
  };

  it("refuses a wrong or missing signature with 401 and writes nothing", async () => {
    const before = [await count("events"), await count("webhook_journal")];
    const wrong = await postGithub("deployment", example("deployment"), "d-bad", (body) => `sha256=${hmacSha256Hex("guess", Buffer.from(body))}`);
    const missing = await postGithub("deployment", example("deployment"), "d-missing", () => undefined);
    assert.deepEqual([wrong.status, wrong.body.error, missing.status, missing.body.error], [401, "bad_signature", 401, "bad_signature"]);
    assert.deepEqual([await count("events"), await count("webhook_journal")], before);
  });

  it("refuses a source that has no secret configured while auth is on", async () => {
    const { status, body } = await api.call("/webhooks/flags", { method: "POST", json: { flag: "f", action: "disabled", service: "s" } });
    assert.deepEqual([status, body.error], [401, "no_secret"]);
    assert.match(body.message, /DRUMBEAT_FLAGS_SECRET/);
  });

  it("answers a signed ping with 200 and keeps nothing", async () => {
    const { status } = await postGithub("ping", example("ping"), "d-ping");
    assert.equal(status, 200);
    assert.equal(await count("webhook_journal"), 0);
  });

  it("accepts a signed deployment with 202 and the ids it produced, durable and journaled", async () => {
    const { status, body } = await postGithub("deployment", example("deployment"), "d-1");
    assert.equal(status, 202);
    assert.deepEqual(body, { ids: ["github:d-1:0"], accepted: 1, duplicates: 0 });
    const deployment = await api.call("/api/v1/deployments/github:145988746", { token: admin });
    assert.deepEqual([deployment.status, deployment.body.service, deployment.body.status], [200, "hello", "started"]);
    const [row] = await api.store.query({
      name: "test.journal",
      sql: "SELECT source, headers, mapping_version AS v, outcome, event_ids AS ids FROM webhook_journal FINAL WHERE delivery_id = 'd-1'",
      rows: z.object({ source: z.string(), headers: z.record(z.string(), z.string()), v: z.number(), outcome: z.string(), ids: z.array(z.string()) }),
    });
    assert.deepEqual({ ...row, headers: undefined }, { source: "github", headers: undefined, v: 2, outcome: "accepted", ids: ["github:d-1:0"] });
    assert.deepEqual([row!.headers["x-github-event"], row!.headers["x-github-delivery"], row!.headers["x-hub-signature-256"]], ["deployment", "d-1", undefined]);
  });

  it("counts a redelivery once", async () => {
    const status = example("deployment_status", (e) => e.deployment_status.state === "success");
    const first = await postGithub("deployment_status", status, "d-2");
    const again = await postGithub("deployment_status", status, "d-2");
    assert.deepEqual([first.status, first.body.accepted], [202, 1]);
    assert.deepEqual([again.status, again.body], [202, { ids: first.body.ids, accepted: 0, duplicates: 1 }]);
    const [row] = await api.store.query({ name: "test.once", sql: "SELECT count() AS n FROM events FINAL WHERE id = {id:String}", params: { id: first.body.ids[0] }, rows: z.object({ n: z.number() }) });
    assert.equal(row!.n, 1);
    const [journal] = await api.store.query({ name: "test.journalOnce", sql: "SELECT count() AS n FROM webhook_journal FINAL WHERE delivery_id = 'd-2'", rows: z.object({ n: z.number() }) });
    assert.equal(journal!.n, 1);
  });

  it("answers a well-formed event Drumbeat does not use with 202 {ignored} and journals it", async () => {
    const { status, body } = await postGithub("workflow_run", example("workflow_run"), "d-3");
    assert.equal(status, 202);
    assert.match(body.ignored, /deploymentWorkflows/);
    const [row] = await api.store.query({ name: "test.ignored", sql: "SELECT outcome, reason FROM webhook_journal FINAL WHERE delivery_id = 'd-3'", rows: z.object({ outcome: z.string(), reason: z.string() }) });
    assert.deepEqual(row?.outcome, "ignored");
  });

  it("rejects a malformed payload with 400 naming the field, and invalid JSON with 400, writing nothing", async () => {
    const before = [await count("events"), await count("webhook_journal")];
    const deployment = example("deployment");
    const bad = await postGithub("deployment", { ...deployment, deployment: { ...deployment.deployment, sha: null } }, "d-4");
    assert.deepEqual([bad.status, bad.body.error, bad.body.issues.map((i: any) => i.path)], [400, "malformed_payload", ["deployment.sha"]]);
    const notJson = await postGithub("deployment", "{not json", "d-5");
    assert.deepEqual([notJson.status, notJson.body.error], [400, "malformed_json"]);
    assert.deepEqual([await count("events"), await count("webhook_journal")], before);
  });

  it("verifies PagerDuty's signature and maps its incidents", async () => {
    const payload = JSON.stringify({ event: { id: "01PD", event_type: "incident.triggered", occurred_at: "2026-03-01T10:00:00Z", data: { id: "PINC", title: "down", service: { id: "PSVC", summary: "hello" } } } });
    const headers = { "content-type": "application/json", "x-webhook-id": "wh-1", "x-pagerduty-signature": `v1=${hmacSha256Hex(PAGERDUTY_SECRET, Buffer.from(payload))}` };
    const ok = await api.call("/webhooks/pagerduty", { method: "POST", body: payload, headers });
    assert.deepEqual([ok.status, ok.body.ids], [202, ["pagerduty:wh-1:0"]]);
    const forged = await api.call("/webhooks/pagerduty", { method: "POST", body: payload, headers: { ...headers, "x-pagerduty-signature": "v1=00" } });
    assert.equal(forged.status, 401);
  });

  for (const [source, { body, headers }] of Object.entries(SIGNED)) {
    it(`${source}: accepts the signed payload once, counts its redelivery once, refuses a forged one`, async () => {
      const secret = SECRETS[source as keyof typeof SECRETS];
      const post = (h: Record<string, string>) => api.call(`/webhooks/${source}`, { method: "POST", body, headers: { "content-type": "application/json", ...h } });
      const forged = await post(headers(body, `${secret}-guessed`));
      assert.equal(forged.status, 401);
      const first = await post(headers(body, secret));
      assert.equal(first.status, 202, JSON.stringify(first.body));
      assert.ok(first.body.ids.length > 0 && first.body.accepted === first.body.ids.length, JSON.stringify(first.body));
      const again = await post(headers(body, secret));
      assert.deepEqual(again.body, { ids: first.body.ids, accepted: 0, duplicates: first.body.ids.length });
      const [row] = await api.store.query({ name: "test.sourceOnce", sql: "SELECT count() AS n FROM events FINAL WHERE id IN {ids:Array(String)}", params: { ids: first.body.ids }, rows: z.object({ n: z.number() }) });
      assert.equal(row!.n, first.body.ids.length);
    });
  }

  it("answers an unknown source with 404", async () => {
    for (const source of ["jenkins", "constructor"]) {
      const { status } = await api.call(`/webhooks/${source}`, { method: "POST", json: {} });
      assert.equal(status, 404, source);
    }
  });

  it("reprocesses the journal idempotently, writing what an improved mapping now produces", async () => {
    // A merged pull request journaled by an older mapping that ignored pull requests (version 0).
    const closed = example("pull_request", (e) => e.action === "closed");
    const merged = { ...closed, pull_request: { ...closed.pull_request, merged: true, merged_at: "2026-02-01T10:00:00Z", merge_commit_sha: "feedfacefeedfacefeedfacefeedfacefeedface" } };
    await writeJournal(api.store, [{
      receivedAt: "2026-02-01T10:00:01.000Z", source: "github", deliveryId: "d-old", headers: { "x-github-event": "pull_request", "x-github-delivery": "d-old" },
      payload: JSON.stringify(merged), mappingVersion: 0, outcome: "ignored", reason: "pull requests were not read yet", eventIds: [],
    }]);
    const eventsBefore = await count("events");

    const forbidden = await api.call("/api/v1/admin/reprocess", { method: "POST", json: { since: "2026-01-01" } });
    assert.equal(forbidden.status, 401);
    const first = await api.call("/api/v1/admin/reprocess", { method: "POST", json: { source: "github", since: "2026-01-01" }, token: admin });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.written, 1, JSON.stringify(first.body));
    assert.equal(await count("events"), eventsBefore + 1);
    const second = await api.call("/api/v1/admin/reprocess", { method: "POST", json: { source: "github", since: "2026-01-01" }, token: admin });
    assert.deepEqual(second.body, { ...first.body, written: 0 });
    assert.equal(await count("events"), eventsBefore + 1);
    const [row] = await api.store.query({ name: "test.reprocessed", sql: "SELECT mapping_version AS v, outcome, event_ids AS ids FROM webhook_journal FINAL WHERE delivery_id = 'd-old'", rows: z.object({ v: z.number(), outcome: z.string(), ids: z.array(z.string()) }) });
    assert.deepEqual(row, { v: 2, outcome: "accepted", ids: ["github:d-old:0"] });
  });
});
