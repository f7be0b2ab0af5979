import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createToken } from "@drumbeat/store";
import { startTestApi, type TestApi } from "./helpers.ts";

const otlp = {
  resourceMetrics: [{
    resource: { attributes: [{ key: "service.name", value: { stringValue: "checkout" } }, { key: "deployment.environment.name", value: { stringValue: "production" } }] },
    scopeMetrics: [{ metrics: [{ name: "queue.depth", gauge: { dataPoints: [{ timeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`, asDouble: 1 }] } }] }],
  }],
};

describe("metrics routes with auth on", () => {
  let api: TestApi;
  const tokens: Record<string, string> = {};
  before(async () => {
    api = await startTestApi("metricsauth", { auth: "on" });
    for (const scope of ["ingest", "read"] as const) tokens[scope] = (await createToken(api.store, scope, [scope])).token;
    await api.call("/api/v1/events", {
      method: "POST", token: tokens.ingest,
      json: { type: "deployment", deploymentId: "d-1", service: "checkout", environment: "production", version: "1", status: "started", occurredAt: new Date().toISOString() },
    });
  });
  after(() => api.dispose());

  it("OTLP and plain points need the ingest scope, as events do", async () => {
    assert.equal((await api.call("/v1/metrics", { method: "POST", json: otlp })).status, 401);
    assert.equal((await api.call("/v1/metrics", { method: "POST", json: otlp, token: tokens.read })).status, 403);
    assert.equal((await api.call("/v1/metrics", { method: "POST", json: otlp, token: tokens.ingest })).status, 200);
    const point = { service: "checkout", environment: "production", metric: "m", at: new Date().toISOString(), value: 1 };
    assert.equal((await api.call("/api/v1/metrics/points", { method: "POST", json: point, token: tokens.read })).status, 403);
  });

  it("reading metrics and verdicts needs the read scope", async () => {
    assert.equal((await api.call("/api/v1/metrics?service=checkout&environment=production", { token: tokens.ingest })).status, 403);
    const catalog = await api.call("/api/v1/metrics?service=checkout&environment=production", { token: tokens.read });
    assert.deepEqual(catalog.body.metrics.map((m: any) => m.metric), ["queue.depth"]);
    assert.equal((await api.call("/api/v1/deployments/d-1/verdict")).status, 401);
    const gate = await api.call("/api/v1/deployments/d-1/verdict", { token: tokens.read });
    assert.deepEqual([gate.status, gate.body.verdict], [200, "inconclusive"]);
  });

  it("the Flagger webhook takes its read token from the metadata", async () => {
    const hook = (token?: string) => api.call("/api/v1/deployments/verdict/flagger", {
      method: "POST", json: { name: "checkout", metadata: { service: "checkout", environment: "production", ...(token ? { token } : {}) } },
    });
    assert.equal((await hook()).status, 401);
    assert.equal((await hook(tokens.ingest)).status, 401);
    const inconclusive = await hook(tokens.read);
    assert.deepEqual([inconclusive.status, inconclusive.body.verdict, inconclusive.body.ok], [412, "inconclusive", false]);
  });
});
