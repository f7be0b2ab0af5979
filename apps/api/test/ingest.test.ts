import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestApi, type TestApi } from "./helpers.ts";

const deployment = {
  type: "deployment", deploymentId: "d-42", occurredAt: "2026-11-20T10:00:00Z", service: "checkout",
  environment: "production", version: "3f2c9a1", status: "succeeded",
  commits: [{ sha: "3f2c9a1", authoredAt: "2026-11-19T16:05:00Z" }],
};

describe("POST /api/v1/events", () => {
  let api: TestApi;
  before(async () => (api = await startTestApi("ingest", { maxBodyBytes: 64 * 1024 })));
  after(() => api.dispose());

  const count = async (service: string) => (await api.call(`/api/v1/deployments?service=${encodeURIComponent(service)}`)).body.deployments.length;

  it("accepts one event, then counts its retry as a duplicate", async () => {
    const first = await api.call("/api/v1/events", { method: "POST", json: deployment });
    assert.equal(first.status, 202);
    assert.deepEqual([first.body.accepted, first.body.duplicates], [1, 0]);
    const again = await api.call("/api/v1/events", { method: "POST", json: deployment });
    assert.deepEqual([again.status, again.body.accepted, again.body.duplicates], [202, 0, 1]);
    assert.equal(await count("checkout"), 1);
    const detail = await api.call("/api/v1/deployments/d-42");
    assert.equal(detail.status, 200);
    assert.equal(detail.body.commits[0].sha, "3f2c9a1");
  });

  it("takes a JSON array and NDJSON; the same batch twice counts once", async () => {
    const batch = [0, 1, 2].map((i) => ({ ...deployment, service: "cart", deploymentId: `c-${i}`, occurredAt: `2026-11-2${i}T10:00:00Z` }));
    const asArray = await api.call("/api/v1/events", { method: "POST", json: batch });
    assert.deepEqual([asArray.status, asArray.body.accepted], [202, 3]);
    const asNdjson = await api.call("/api/v1/events", {
      method: "POST", headers: { "content-type": "application/x-ndjson" }, body: batch.map((e) => JSON.stringify(e)).join("\n") + "\n",
    });
    assert.deepEqual([asNdjson.status, asNdjson.body.accepted, asNdjson.body.duplicates], [202, 0, 3]);
    assert.equal(await count("cart"), 3);
  });

  it("rejects a batch with one bad item whole, naming the item and the field path", async () => {
    const batch = [0, 1, 2, 3].map((i) => ({ ...deployment, service: "bad-batch", deploymentId: `b-${i}` }));
    batch[3] = { ...batch[3]!, commits: [{ sha: "", authoredAt: "2026-11-19T16:05:00Z" }] };
    const answer = await api.call("/api/v1/events", { method: "POST", json: batch });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "invalid_events");
    assert.deepEqual(answer.body.issues.map((i: any) => [i.index, i.path]), [[3, "commits.0.sha"]]);
    assert.equal(await count("bad-batch"), 0);
  });

  it("names unknown types and bad timestamps", async () => {
    const answer = await api.call("/api/v1/events", { method: "POST", json: [
      { ...deployment, type: "party" },
      { ...deployment, occurredAt: "yesterday" },
      { ...deployment, status: "done", extra: 1 },
    ] });
    assert.equal(answer.status, 400);
    const paths = answer.body.issues.map((i: any) => `${i.index}:${i.path}`);
    assert.ok(paths.includes("0:type"), paths.join());
    assert.ok(paths.includes("1:occurredAt"), paths.join());
    assert.ok(paths.includes("2:status"), paths.join());
    assert.ok(paths.includes("2:"), paths.join()); // the unknown key `extra`
  });

  it("answers 413 for an oversized body, 415 for a wrong content type, 400 for malformed JSON", async () => {
    const huge = await api.call("/api/v1/events", { method: "POST", json: { ...deployment, labels: { blob: "x".repeat(100 * 1024) } } });
    assert.equal(huge.status, 413);
    const text = await api.call("/api/v1/events", { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" });
    assert.equal(text.status, 415);
    const broken = await api.call("/api/v1/events", { method: "POST", headers: { "content-type": "application/json" }, body: '{"type":' });
    assert.deepEqual([broken.status, broken.body.error], [400, "malformed_json"]);
    const brokenLine = await api.call("/api/v1/events", { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: `${JSON.stringify(deployment)}\nnot json\n` });
    assert.equal(brokenLine.status, 400);
    assert.equal(brokenLine.body.issues[0].index, 1);
  });

  it("stores SQL-injection-looking strings verbatim", async () => {
    const nasty = "robert'); DROP TABLE events;-- {x:String} \\' \u0000";
    const answer = await api.call("/api/v1/events", { method: "POST", json: { ...deployment, deploymentId: nasty, service: nasty, actor: nasty } });
    assert.equal(answer.status, 202);
    const detail = await api.call(`/api/v1/deployments/${encodeURIComponent(nasty)}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.actor, nasty);
    assert.equal(await count(nasty), 1);
    assert.equal(await count("checkout"), 1);
  });

  it("validates query parameters, naming them", async () => {
    const answer = await api.call("/api/v1/deployments?status=exploded&limit=0");
    assert.equal(answer.status, 400);
    const paths = answer.body.issues.map((i: any) => i.path);
    assert.deepEqual(paths.sort(), ["query.limit", "query.status"]);
    assert.equal((await api.call("/api/v1/deployments?cursor=nonsense")).status, 400);
    assert.equal((await api.call("/api/v1/deployments/nope")).status, 404);
  });

  it("serves health, readiness, services and the OpenAPI document", async () => {
    assert.equal((await api.call("/healthz")).status, 200);
    assert.deepEqual((await api.call("/readyz")).body, { status: "ready", store: api.store.backend });
    const services = await api.call("/api/v1/services");
    assert.ok(services.body.services.some((s: any) => s.service === "checkout"));
    const openapi = await api.call("/api/openapi.json");
    assert.equal(openapi.body.openapi, "3.0.3");
    assert.ok(openapi.body.paths["/api/v1/events"].post.requestBody);
    assert.ok(openapi.body.paths["/api/v1/deployments/{deploymentId}"].get);
  });
});
