import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { createToken } from "@drumbeat/store";
import { bucketFor } from "../src/grafana/doraSeries.ts";
import { startTestApi, type TestApi } from "./helpers.ts";

// The plugin's own OpenAPI spec (fixtures/grafana/PROVENANCE.md).
const spec = parse(readFileSync(new URL("./fixtures/grafana/openapi.yaml", import.meta.url), "utf8"));
const tableCase = spec.paths["/query"].post.responses["200"].content["application/json"].schema.items.anyOf[1];
// Upstream inconsistency: a table row is an array of cells (as its example shows), not a single cell.
tableCase.properties.rows.items = { type: "array", items: tableCase.properties.rows.items };
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ components: spec.components }, "spec");

function assertSpecResponse(path: string, body: unknown) {
  const schema = spec.paths[path].post?.responses["200"].content?.["application/json"]?.schema;
  const withRefs = JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"spec#/components'));
  const valid = ajv.validate(withRefs, body);
  assert.ok(valid, `${path} answer breaks the plugin's spec: ${ajv.errorsText()}`);
}

/** A request shaped as the spec documents it (and as Grafana sends it: panelId, raw ranges, scopedVars...). */
function queryRequest(targets: object[], range = { from: "2026-11-16T00:00:00.000Z", to: "2026-11-30T00:00:00.000Z" }, extra: object = {}) {
  return {
    panelId: "Q-1599986187842-0.164611811105138-0",
    range: { ...range, raw: { from: "now-14d", to: "now" } },
    rangeRaw: { from: "now-14d", to: "now" },
    interval: "30m",
    intervalMs: 1_800_000,
    maxDataPoints: 50,
    targets,
    scopedVars: { __interval: { text: "30m", value: "30m" }, __interval_ms: { text: 1_800_000, value: 1_800_000 } },
    ...extra,
  };
}

const base = { type: "deployment", environment: "production", status: "succeeded" };
const events = [
  { ...base, service: "checkout", team: "payments", deploymentId: "c1", version: "v1", occurredAt: "2026-11-17T10:00:00Z", commits: [{ sha: "aaa1", authoredAt: "2026-11-17T08:00:00Z" }] },
  { ...base, service: "checkout", team: "payments", deploymentId: "c2", version: "v2", occurredAt: "2026-11-18T10:00:00Z", status: "failed", commits: [{ sha: "aaa2", authoredAt: "2026-11-18T09:00:00Z" }] },
  { ...base, service: "checkout", team: "payments", deploymentId: "c3", version: "v3", occurredAt: "2026-11-18T12:00:00Z", kind: "hotfix" },
  { ...base, service: "checkout", team: "payments", deploymentId: "c4", version: "v1", occurredAt: "2026-11-25T09:00:00Z", kind: "rollback", rollsBack: "c3" },
  { ...base, service: "search", team: "growth", deploymentId: "s1", version: "b1", occurredAt: "2026-11-24T10:00:00Z", commits: [{ sha: "bbb1", authoredAt: "2026-11-23T10:00:00Z" }] },
  { ...base, service: "search", team: "growth", environment: "staging", deploymentId: "s0", version: "b1", occurredAt: "2026-11-23T12:00:00Z" },
  { type: "incident", service: "search", environment: "production", incidentId: "INC-1", status: "opened", severity: "sev2", title: "Search slow", occurredAt: "2026-11-24T11:00:00Z" },
  { type: "incident", service: "search", environment: "production", incidentId: "INC-1", status: "resolved", occurredAt: "2026-11-24T12:30:00Z" },
];

describe("Grafana JSON data source (/grafana)", () => {
  let api: TestApi;
  let token: string;
  let admin: string;
  const grafana = (path: string, json?: unknown) => api.call(`/grafana${path}`, json === undefined ? { token } : { method: "POST", json, token });

  before(async () => {
    api = await startTestApi("grafana", { auth: "on" });
    token = (await createToken(api.store, "grafana", ["read"])).token;
    admin = (await createToken(api.store, "admin", ["admin"])).token;
    const posted = await api.call("/api/v1/events", { method: "POST", json: events, token: admin });
    assert.equal(posted.status, 202);
  });
  after(() => api.dispose());

  it("answers the test connection with the bearer token the plugin sends, and refuses without it", async () => {
    assert.equal((await grafana("/")).status, 200);
    assert.equal((await api.call("/grafana/")).status, 401);
    assert.equal((await api.call("/grafana/query", { method: "POST", json: queryRequest([]) })).status, 401);
  });

  it("lists the metrics with payload options, as the spec describes", async () => {
    const { status, body } = await grafana("/metrics", { metric: "", payload: {} });
    assert.equal(status, 200);
    assertSpecResponse("/metrics", body);
    const values = body.map((m: any) => m.value);
    for (const value of ["dora.deployments", "dora.change_failure_rate", "dora.lead_time_median_seconds", "dora.recovery_time_median_seconds", "dora.rework_rate", "table.change_failures", "annotations.markers"]) {
      assert.ok(values.includes(value), value);
    }
    const payloads = body.find((m: any) => m.value === "dora.deployments").payloads.map((p: any) => p.name);
    assert.deepEqual(payloads, ["service", "team", "environment", "over"]);
  });

  it("lists a select's options: services (of a team), teams, environments", async () => {
    const services = await grafana("/metric-payload-options", { metric: "dora.deployments", payload: {}, name: "service" });
    assertSpecResponse("/metric-payload-options", services.body);
    assert.deepEqual(services.body, [{ label: "checkout", value: "checkout" }, { label: "search", value: "search" }]);
    const ofTeam = await grafana("/metric-payload-options", { metric: "dora.deployments", payload: { team: "growth" }, name: "service" });
    assert.deepEqual(ofTeam.body.map((o: any) => o.value), ["search"]);
    const environments = await grafana("/metric-payload-options", { metric: "table.deployments", payload: {}, name: "environment" });
    assert.deepEqual(environments.body.map((o: any) => o.value), ["production", "staging"]);
    const bad = await grafana("/metric-payload-options", { metric: "nope", payload: {}, name: "service" });
    assert.deepEqual([bad.status, bad.body.issues[0].path], [400, "body.metric"]);
  });

  it("gives each DORA key over the whole range equal to GET /api/v1/dora for that range", async () => {
    const range = { from: "2026-11-16T00:00:00.000Z", to: "2026-11-30T00:00:00.000Z" };
    const dora = (await api.call(`/api/v1/dora?from=${range.from}&to=${range.to}`, { token })).body;
    const keys = ["dora.deployments", "dora.rollbacks", "dora.change_failure_rate", "dora.failed_deployments", "dora.lead_time_median_seconds", "dora.recovery_time_median_seconds", "dora.rework_rate", "dora.deployments_per_day"];
    const { status, body } = await grafana("/query", queryRequest(keys.map((target, i) => ({ target, refId: String.fromCharCode(65 + i), payload: { over: "range" } })), range));
    assert.equal(status, 200);
    assertSpecResponse("/query", body);
    const value = (i: number) => body[i].datapoints[0]?.[0] ?? null;
    assert.deepEqual(keys.map((_, i) => value(i)), [
      dora.deploymentFrequency.count, dora.deploymentFrequency.rollbacks, dora.changeFailureRate.rate, dora.changeFailureRate.failed,
      dora.leadTime.medianSeconds, dora.recoveryTime.medianSeconds, dora.reworkRate.rate, dora.deploymentFrequency.perDay,
    ]);
    assert.deepEqual([dora.deploymentFrequency.count, dora.changeFailureRate.failed], [3, 3]);
    assert.equal(body[0].datapoints[0][1], Date.parse(range.to), "the value is stamped at the end of the range");
  });

  it("follows Grafana's interval and maxDataPoints: days, then weeks when days would be too many", async () => {
    const target = [{ target: "dora.deployments", refId: "A", payload: { service: "checkout" } }];
    const daily = await grafana("/query", queryRequest(target));
    assertSpecResponse("/query", daily.body);
    const series = (await api.call("/api/v1/dora/timeseries?bucket=day&service=checkout&from=2026-11-16T00:00:00Z&to=2026-11-30T00:00:00Z", { token })).body;
    assert.equal(daily.body[0].target, "Deployments (checkout)");
    assert.deepEqual(daily.body[0].datapoints, series.points.map((p: any) => [p.deploymentFrequency.count, Date.parse(p.start)]));
    assert.equal(daily.body[0].datapoints.length, 14);
    const weekly = await grafana("/query", queryRequest(target, undefined, { maxDataPoints: 10 }));
    assert.deepEqual(weekly.body[0].datapoints, [[2, Date.parse("2026-11-16T00:00:00Z")], [0, Date.parse("2026-11-23T00:00:00Z")]]);
  });

  it("picks the bucket at its boundaries", () => {
    const from = new Date("2026-11-01T00:00:00Z");
    const to = new Date("2026-11-15T00:00:00Z");
    assert.equal(bucketFor(from, to, 60_000, 14), "day");
    assert.equal(bucketFor(from, to, 60_000, 13), "week");
    assert.equal(bucketFor(from, to, 86_400_000, 1_000), "day");
    assert.equal(bucketFor(from, to, 86_400_001, 1_000), "week");
    assert.equal(bucketFor(from, to, 8 * 86_400_000, 1_000), "month");
  });

  it("leaves a too-small sample out rather than plotting 0", async () => {
    const { body } = await grafana("/query", queryRequest([{ target: "dora.change_failure_rate", refId: "A", payload: { service: "search", over: "week" } }]));
    // s1 fails by the incident an hour later (24 h window): rate 1 in its week; the week before has no deployment.
    assert.deepEqual(body[0].datapoints, [[1, Date.parse("2026-11-23T00:00:00Z")]], "no deployments in the first week: no point, not 0");
  });

  it("narrows every target by the ad hoc filters", async () => {
    const { body } = await grafana("/query", queryRequest([{ target: "dora.deployments", refId: "A", payload: { over: "range" } }], undefined, {
      filters: [{ key: "team", operator: "=", value: "growth" }],
    }));
    assert.deepEqual([body[0].target, body[0].datapoints[0][0]], ["Deployments (growth)", 1]);
  });

  it("answers tables: change failures with reasons, recent deployments", async () => {
    const { body } = await grafana("/query", queryRequest([
      { target: "table.change_failures", refId: "A", payload: {} },
      { target: "table.deployments", refId: "B", payload: { environment: "staging" } },
    ]));
    assertSpecResponse("/query", body);
    const { failures } = (await api.call("/api/v1/dora/failures?from=2026-11-16T00:00:00Z&to=2026-11-30T00:00:00Z", { token })).body;
    assert.deepEqual(body[0].rows.map((r: any[]) => [r[0], r[3], r[4], r[5], r[6]]),
      failures.map((f: any) => [Date.parse(f.deployedAt), f.deploymentId, f.reasons.join(", "), f.recoveredBy, f.recoverySeconds]));
    assert.deepEqual(body[0].rows.map((r: any[]) => [r[3], r[4]]), [
      ["s1", "incident_in_window"], ["c3", "rolled_back_by"], ["c2", "failed_status, followed_by_hotfix"],
    ]);
    assert.deepEqual(body[1].rows.map((r: any[]) => [r[1], r[2], r[7]]), [["search", "staging", "s0"]]);
  });

  it("answers each deployment's metric verdict, empty until computed", async () => {
    // search's error rate triples after s1 (2026-11-24 10:00): minutes 09:30-09:59 against 10:00-10:29
    const point = (m: number, value: number) => ({
      service: "search", environment: "production", metric: "http.server.errors", at: new Date(Date.parse("2026-11-24T10:00:30Z") + m * 60_000).toISOString(), value,
    });
    const points = Array.from({ length: 30 }, (_, i) => [point(i - 30, 1 + i / 100), point(i, 3 * (1 + i / 100))]).flat();
    assert.equal((await api.call("/api/v1/metrics/points", { method: "POST", json: points, token: admin })).status, 202);
    assert.equal((await api.call("/api/v1/deployments/s1/impact", { token })).body.verdict, "regressed");
    const { body } = await grafana("/query", queryRequest([{ target: "table.deployment_verdicts", refId: "V", payload: { environment: "production" } }]));
    assertSpecResponse("/query", body);
    assert.deepEqual(body[0].columns.map((c: any) => c.text), ["Time", "Service", "Environment", "Version", "Deployment", "Verdict"]);
    assert.deepEqual(body[0].rows.map((r: any[]) => [r[4], r[5]]).sort(), [["c1", ""], ["c2", ""], ["c3", ""], ["c4", ""], ["s1", "regressed"]]);
  });

  it("returns deployment markers as annotation rows: time, timeEnd, title, text, tags", async () => {
    const { body } = await grafana("/query", queryRequest([{ target: "annotations.markers", refId: "Anno", payload: {} }]));
    assertSpecResponse("/query", body);
    assert.deepEqual(body[0].columns.map((c: any) => c.text), ["time", "timeEnd", "title", "text", "tags"]);
    const rows = body[0].rows;
    assert.equal(rows.length, 6, "five production deployments and one incident; staging is not marked");
    const rollback = rows.find((r: any[]) => r[2].includes("rolls back"));
    assert.deepEqual([rollback[0], rollback[2], rollback[4]], [Date.parse("2026-11-25T09:00:00Z"), "checkout v1 rolls back c3", "rollback,succeeded,checkout,production,v1"]);
    const incident = rows.find((r: any[]) => r[4].startsWith("incident"));
    assert.deepEqual([incident[0], incident[1], incident[3]], [Date.parse("2026-11-24T11:00:00Z"), Date.parse("2026-11-24T12:30:00Z"), "Search slow"]);
  });

  it("answers variables, tag keys and tag values", async () => {
    const variable = await grafana("/variable", { payload: { target: "services" }, range: { from: "2026-11-16T00:00:00.000Z", to: "2026-11-30T00:00:00.000Z", raw: { from: "now-14d", to: "now" } } });
    assert.equal(variable.status, 200);
    assertSpecResponse("/variable", variable.body);
    assert.deepEqual(variable.body.map((v: any) => v.__value), ["checkout", "search"]);
    const teams = await grafana("/variable", { payload: { target: "teams" } });
    assert.deepEqual(teams.body.map((v: any) => v.__text), ["growth", "payments"]);
    const keys = await grafana("/tag-keys", {});
    assertSpecResponse("/tag-keys", keys.body);
    assert.deepEqual(keys.body.map((k: any) => k.text), ["service", "team", "environment"]);
    const values = await grafana("/tag-values", { key: "environment" });
    assert.deepEqual(values.body, [{ text: "production" }, { text: "staging" }]);
  });

  it("rejects bad requests with 400 naming the field, never a 5xx", async () => {
    const cases: [unknown, string][] = [
      [queryRequest([{ target: "dora.nothing", refId: "A" }]), "body.targets.0.target"],
      [queryRequest([{ target: "dora.deployments", refId: "A", payload: { over: "year" } }]), "body.targets.0.payload.over"],
      [queryRequest([{ target: "table.deployments", refId: "A", payload: { limit: 0 } }]), "body.targets.0.payload.limit"],
      [queryRequest([], undefined, { filters: [{ key: "city", operator: "=", value: "Berlin" }] }), "body.filters.0.key"],
      [{ targets: [] }, "body.range"],
      [queryRequest([{ refId: "A" }]), "body.targets.0.target"],
    ];
    for (const [json, path] of cases) {
      const { status, body } = await grafana("/query", json);
      assert.equal(status, 400, path);
      assert.ok(body.issues.some((i: any) => i.path === path), `${path}: ${JSON.stringify(body.issues)}`);
    }
    const backwards = await grafana("/query", queryRequest([], { from: "2026-11-30T00:00:00.000Z", to: "2026-11-16T00:00:00.000Z" }));
    assert.deepEqual([backwards.status, backwards.body.error], [400, "invalid_range"]);
    const variable = await grafana("/variable", { payload: { target: "cities" } });
    assert.deepEqual([variable.status, variable.body.issues[0].path], [400, "body.payload.target"]);
    const broken = await api.call("/grafana/query", { method: "POST", body: "{", headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
    assert.equal(broken.status, 400);
  });
});
