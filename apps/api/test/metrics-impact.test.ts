import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { startTestApi, type TestApi } from "./helpers.ts";

/** The YAML blocks of docs/metrics.md, parsed. */
function documentedYaml(): any[] {
  const text = readFileSync(new URL("../../../docs/metrics.md", import.meta.url), "utf8");
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((block) => parseAllDocuments(block[1]!).map((doc) => doc.toJS()));
}

/** Kubernetes JSONPath as Argo Rollouts' web provider applies it, for the `{$.a.b}` form the docs use. */
function jsonPath(expression: string, value: unknown): unknown {
  const path = /^\{\$((?:\.[A-Za-z_][\w]*)*)\}$/.exec(expression);
  assert.ok(path, `unsupported jsonPath ${expression}`);
  return path[1]!.split(".").filter(Boolean).reduce((inner: any, key) => inner?.[key], value);
}

/** An Argo Rollouts condition of the form the docs use: result == "text". */
function holds(condition: string, result: unknown): boolean {
  const match = /^result == "([^"]*)"$/.exec(condition);
  assert.ok(match, `unsupported condition ${condition}`);
  return result === match[1];
}

const MIN = 60_000;
/** Three hours ago on a whole minute: every window of the scenario is in the past. */
const T0 = Math.floor((Date.now() - 3 * 60 * MIN) / MIN) * MIN;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

/** A deterministic wobble around a level, so samples are not all tied. */
const wobble = (level: number, i: number) => level * (1 + 0.03 * Math.sin(i * 1.7));

function points(service: string, metric: string, fromMinute: number, toMinute: number, level: number, version?: string) {
  const out: object[] = [];
  for (let m = fromMinute; m < toMinute; m += 1) {
    out.push({ service, environment: "production", metric, at: at(m + 0.5), value: wobble(level, m), ...(version ? { version } : {}) });
  }
  return out;
}

function deployment(service: string, deploymentId: string, version: string, minute: number, status: string, extra: object = {}) {
  return { type: "deployment", deploymentId, service, environment: "production", version, occurredAt: at(minute), status, ...extra };
}

describe("deployment impact, the deploy gate and suspects, end to end", () => {
  let api: TestApi;
  const post = async (path: string, json: unknown, status: number) => {
    const answer = await api.call(path, { method: "POST", json });
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    return answer.body;
  };

  before(async () => {
    api = await startTestApi("impact");
    await post("/api/v1/events", [
      // checkout: error rate triples after d-bad
      deployment("checkout", "d-bad", "2.0.0", 40, "started"),
      deployment("checkout", "d-bad", "2.0.0", 45, "succeeded"),
      // search: nothing changes after d-ok, but an incident follows it
      deployment("search", "d-ok", "5.1.0", 40, "started"),
      deployment("search", "d-ok", "5.1.0", 44, "succeeded"),
      { type: "incident", incidentId: "INC-1", service: "search", environment: "production", occurredAt: at(90), status: "opened", severity: "sev3", title: "slow search" },
      // payments: a canary at 20% then 50% whose version errs more than the baseline's
      deployment("payments", "d-canary", "9.0.0", 40, "started", { strategy: "canary", canaryWeight: 20 }),
      deployment("payments", "d-canary", "9.0.0", 55, "started", { strategy: "canary", canaryWeight: 50 }),
      deployment("payments", "d-canary", "9.0.0", 70, "succeeded", { strategy: "canary", canaryWeight: 100 }),
    ], 202);
    await post("/api/v1/metrics/points", [
      ...points("checkout", "http.server.errors", 0, 40, 1),
      ...points("checkout", "http.server.errors", 45, 80, 3),
      ...points("checkout", "http.server.request.duration.p95", 0, 40, 200),
      ...points("checkout", "http.server.request.duration.p95", 45, 80, 201),
      ...points("search", "http.server.errors", 0, 80, 2),
      ...points("search", "http.server.request.duration.p95", 0, 80, 120),
      ...points("payments", "http.server.errors", 0, 80, 1, "8.0.0"),
      ...points("payments", "http.server.errors", 40, 70, 2.5, "9.0.0"),
    ], 202);
  });
  after(async () => {
    await api?.dispose();
  });

  it("the deployment that raised the error rate regressed, with the statistics to show it", async () => {
    const { status, body } = await api.call("/api/v1/deployments/d-bad/impact");
    assert.equal(status, 200);
    assert.equal(body.verdict, "regressed");
    assert.deepEqual(body.beforeAfter.before, { from: at(10), to: at(40) });
    assert.deepEqual(body.beforeAfter.after, { from: at(45), to: at(75) });
    const errors = body.beforeAfter.metrics.find((m: any) => m.metric === "http.server.errors");
    assert.equal(errors.verdict, "regressed");
    assert.deepEqual(errors.samples, { reference: 30, candidate: 30 });
    assert.ok(Math.abs(errors.relativeChange - 2) < 0.1, `relative change ${errors.relativeChange}`);
    assert.ok(errors.pValue < 1e-6);
    const latency = body.beforeAfter.metrics.find((m: any) => m.metric === "http.server.request.duration.p95");
    assert.equal(latency.verdict, "no_change");
    assert.equal(body.canary, null);

    const gate = await api.call("/api/v1/deployments/d-bad/verdict");
    assert.deepEqual([gate.body.ok, gate.body.score, gate.body.verdict], [false, 0, "fail"]);
    assert.match(gate.body.reasons.join(" "), /http.server.errors regressed \(\+\d+\.\d%/);
  });

  it("the deployment that changed nothing passes", async () => {
    const { body } = await api.call("/api/v1/deployments/d-ok/impact");
    assert.equal(body.verdict, "no_change");
    assert.ok(body.beforeAfter.metrics.every((m: any) => m.verdict === "no_change"));
    const gate = await api.call("/api/v1/deployments/verdict?service=search&environment=production&version=5.1.0");
    assert.deepEqual(gate.body, { ok: true, score: 100, verdict: "pass", reasons: [], deploymentId: "d-ok", comparison: "before/after" });
  });

  it("the canary worse than its baseline regressed at each step, and the gate fails it", async () => {
    const { body, status } = await api.call("/api/v1/deployments/d-canary/impact");
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.canary.steps.map((s: any) => [s.step, s.weight, s.window.from, s.window.to, s.verdict]), [
      [1, 20, at(40), at(55), "regressed"],
      [2, 50, at(55), at(70), "regressed"],
    ]);
    const step = body.canary.steps[1].metrics[0];
    assert.deepEqual(step.samples, { reference: 15, candidate: 15 });
    assert.ok(Math.abs(step.relativeChange - 1.5) < 0.1);
    assert.equal(body.verdict, "regressed");
    const gate = await api.call("/api/v1/deployments/verdict?service=payments&environment=production&version=9.0.0");
    assert.equal(gate.body.verdict, "fail");
    assert.equal(gate.body.comparison, "canary step 2 (weight 50)");
  });

  it("list items carry the stored verdicts, and suspects rank regressions and incidents", async () => {
    const list = await api.call(`/api/v1/deployments?from=${at(0)}&to=${at(200)}`);
    const verdicts = Object.fromEntries(list.body.deployments.map((d: any) => [d.deploymentId, d.verdict]));
    assert.deepEqual(verdicts, { "d-bad": "regressed", "d-ok": "no_change", "d-canary": "regressed" });

    const { body } = await api.call(`/api/v1/deployments/suspects?from=${at(0)}&to=${at(200)}`);
    assert.deepEqual(body.suspects.map((s: any) => s.deploymentId), ["d-canary", "d-bad", "d-ok"]);
    const canary = body.suspects[0];
    assert.deepEqual(canary.evidence.map((e: any) => [e.kind, e.metric, e.comparison, e.step]), [
      ["metric_regression", "http.server.errors", "canary", 1],
      ["metric_regression", "http.server.errors", "canary", 2],
    ]);
    const incident = body.suspects[2].evidence[0];
    assert.deepEqual([incident.kind, incident.incidentId, incident.namedCause, incident.minutesAfterStart], ["incident", "INC-1", false, 50]);
    const bad = await api.call("/api/v1/deployments/suspects?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.issues[0].path, "query.to");
  });

  it("late points change a stored verdict: after-window points that arrive later are picked up", async () => {
    await post("/api/v1/events", [deployment("cart", "d-late", "3.0.0", 100, "started"), deployment("cart", "d-late", "3.0.0", 102, "succeeded")], 202);
    await post("/api/v1/metrics/points", points("cart", "http.server.errors", 70, 100, 1), 202);
    const early = await api.call("/api/v1/deployments/d-late/impact");
    assert.equal(early.body.verdict, "not_enough_data");
    const gate = await api.call("/api/v1/deployments/d-late/verdict");
    assert.deepEqual([gate.body.ok, gate.body.verdict, gate.body.score], [false, "inconclusive", null]);

    // the after window's points arrive late; nobody asks for the impact: the refresher recomputes it
    await post("/api/v1/metrics/points", points("cart", "http.server.errors", 102, 132, 4), 202);
    let verdict: string | null = null;
    for (let attempt = 0; attempt < 40 && verdict !== "regressed"; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const list = await api.call(`/api/v1/deployments?service=cart&from=${at(0)}&to=${at(200)}`);
      verdict = list.body.deployments[0].verdict;
    }
    assert.equal(verdict, "regressed");
  });

  it("the documented Argo Rollouts AnalysisTemplate and Flagger webhook read real answers as intended", async () => {
    const docs = documentedYaml();
    const template = docs.find((doc) => doc?.kind === "AnalysisTemplate");
    const metric = template.spec.metrics[0];
    const web = metric.provider.web;
    const urlFor = (service: string, version: string) => new URL(web.url
      .replace("{{args.service}}", service).replace("{{args.environment}}", "production").replace("{{args.version}}", version)
      .replace("https://drumbeat.example.com", api.url));
    assert.deepEqual(web.headers.map((h: any) => h.key), ["Authorization"]);

    const passing = await api.call(urlFor("search", "5.1.0").pathname + urlFor("search", "5.1.0").search);
    const passResult = jsonPath(web.jsonPath, passing.body);
    assert.equal(holds(metric.successCondition, passResult), true);
    assert.equal(holds(metric.failureCondition, passResult), false);
    const failing = await api.call(urlFor("payments", "9.0.0").pathname + urlFor("payments", "9.0.0").search);
    const failResult = jsonPath(web.jsonPath, failing.body);
    assert.equal(holds(metric.successCondition, failResult), false);
    assert.equal(holds(metric.failureCondition, failResult), true);

    const canary = docs.find((doc) => doc?.kind === "Canary");
    const hook = canary.spec.analysis.webhooks[0];
    const flagger = (service: string, version?: string) => api.call(new URL(hook.url).pathname, {
      method: "POST",
      json: { name: service, namespace: "shop", phase: "Progressing", metadata: { ...hook.metadata, service, ...(version ? { version } : {}) } },
    });
    const pass = await flagger("search");
    assert.equal(pass.status, 200);
    assert.equal(pass.body.verdict, "pass");
    const fail = await flagger("payments");
    assert.equal(fail.status, 412);
    assert.equal(fail.body.verdict, "fail");
  });
});
