import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { startTestApi, type TestApi } from "./helpers.ts";

// The provisioning files Grafana loads (docker-compose.yml mounts grafana/), read as Grafana reads them.
const root = new URL("../../../grafana/", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const datasources = parse(read("provisioning/datasources/drumbeat.yaml")).datasources;
const dashboard = JSON.parse(read("dashboards/drumbeat.json"));
const sqlDashboard = JSON.parse(read("dashboards/drumbeat-clickhouse.json"));
const alerting = parse(read("provisioning/alerting/drumbeat.yaml"));

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
const base = { type: "deployment", environment: "production", status: "succeeded", team: "payments", service: "checkout" };
const events = [
  { ...base, deploymentId: "p1", version: "v1", occurredAt: ago(50), commits: [{ sha: "abc1", authoredAt: ago(52) }] },
  { ...base, deploymentId: "p2", version: "v2", occurredAt: ago(30), status: "failed" },
  { ...base, deploymentId: "p3", version: "v3", occurredAt: ago(29), kind: "hotfix" },
  { ...base, service: "search", team: "growth", deploymentId: "s1", version: "b1", occurredAt: ago(0.1), status: "failed" },
  { type: "incident", service: "search", environment: "production", incidentId: "INC-1", status: "opened", title: "Search down", occurredAt: ago(0.05) },
];

/** Grafana replaces a variable set to "All" by its allValue. */
function withVariables(value: unknown): unknown {
  const all = Object.fromEntries(dashboard.templating.list.map((v: any) => [v.name, v.allValue]));
  return JSON.parse(JSON.stringify(value).replace(/\$([a-z]+)/g, (match, name) => all[name] ?? match));
}

describe("Grafana provisioning files", () => {
  let api: TestApi;
  const drumbeat = datasources.find((d: any) => d.type === "simpod-json-datasource");
  const infinity = datasources.find((d: any) => d.type === "yesoreyeram-infinity-datasource");
  before(async () => {
    api = await startTestApi("grafana_provisioning");
    assert.equal((await api.call("/api/v1/events", { method: "POST", json: events })).status, 202);
  });
  after(() => api.dispose());

  it("provision both data sources with the read token as a bearer header", () => {
    assert.equal(drumbeat.uid, "drumbeat");
    assert.equal(drumbeat.url, "${DRUMBEAT_INTERNAL_URL}/grafana");
    assert.equal(drumbeat.jsonData.httpHeaderName1, "Authorization");
    assert.equal(drumbeat.secureJsonData.httpHeaderValue1, "Bearer ${DRUMBEAT_GRAFANA_TOKEN}");
    assert.equal(infinity.uid, "drumbeat-infinity");
    assert.equal(infinity.secureJsonData.bearerToken, "${DRUMBEAT_GRAFANA_TOKEN}");
  });

  it("has the four keys, deployments over time, change failures and markers, every query answered by the API", async () => {
    const titles = dashboard.panels.map((p: any) => p.title);
    for (const title of ["Deployments per day", "Lead time (median)", "Change failure rate", "Recovery time (median)", "Deployments over time", "Change failures with reasons"]) {
      assert.ok(titles.includes(title), title);
    }
    const range = { from: ago(30 * 24), to: new Date().toISOString(), raw: dashboard.time };
    const queried = [
      ...dashboard.panels.map((p: any) => ({ what: p.title, targets: p.targets })),
      ...dashboard.annotations.list.map((a: any) => ({ what: `annotation ${a.name}`, targets: [a.target] })),
    ];
    for (const { what, targets } of queried) {
      for (const t of targets) assert.equal((t.datasource ?? drumbeat).uid, drumbeat.uid, what);
      const request = withVariables({ range, rangeRaw: range.raw, intervalMs: 3_600_000, maxDataPoints: 1_000, targets: targets.map(({ datasource, ...t }: any) => t) });
      const { status, body } = await api.call("/grafana/query", { method: "POST", json: request });
      assert.equal(status, 200, `${what}: ${JSON.stringify(body)}`);
      assert.equal(body.length, targets.length, what);
      for (const result of body) assert.ok((result.datapoints ?? result.rows).length > 0, `${what} has data`);
    }
  });

  it("has variables the API lists", async () => {
    for (const variable of dashboard.templating.list) {
      const { status, body } = await api.call("/grafana/variable", { method: "POST", json: { payload: JSON.parse(variable.query.payload) } });
      assert.equal(status, 200, variable.name);
      assert.ok(body.length > 0, variable.name);
    }
  });

  it("has alert rules whose Infinity queries read the API: the failing service and deployment come back as rows", async () => {
    const rules = alerting.groups.flatMap((g: any) => g.rules);
    assert.deepEqual(rules.map((r: any) => r.uid), ["drumbeat-cfr-above-30", "drumbeat-deployment-failed"]);
    const rows: Record<string, any[]> = {};
    for (const rule of rules) {
      const query = rule.data.find((d: any) => d.datasourceUid === infinity.uid).model;
      assert.equal(query.parser, "backend", "alerting needs the backend parser");
      const url = query.url.replace("${DRUMBEAT_INTERNAL_URL}", api.url);
      const response = await fetch(url, { method: query.url_options.method });
      assert.equal(response.status, 200, rule.uid);
      rows[rule.uid] = await response.json() as any[];
      for (const row of rows[rule.uid]!) for (const column of query.columns) assert.ok(column.selector in row, `${rule.uid}: ${column.selector}`);
      const threshold = rule.data.find((d: any) => d.model.type === "threshold").model;
      assert.equal(threshold.expression, query.refId);
    }
    // checkout: p2 failed of p1..p3 (1/3 > 30%); search: its only deployment failed.
    assert.deepEqual(rows["drumbeat-cfr-above-30"]!.map((r) => [r.service, r.rate]), [["checkout", 1 / 3], ["search", 1]]);
    assert.deepEqual(rows["drumbeat-deployment-failed"]!.map((r) => [r.deploymentId, r.failed]), [["s1", 1]]);
  });

  it("has SQL panels for Grafana's ClickHouse plugin that run on Drumbeat's tables", async () => {
    const clickhouse = datasources.find((d: any) => d.type === "grafana-clickhouse-datasource");
    assert.equal(clickhouse.jsonData.defaultDatabase, "drumbeat");
    // The plugin's time macros, bound as parameters the way the plugin fills them with the dashboard range.
    const bind = (sql: string) => sql
      .replace(/\$__timeFilter\((\w+)\)/g, "$1 >= {from:DateTime64(3)} AND $1 <= {to:DateTime64(3)}")
      .replaceAll("$__fromTime", "{from:DateTime64(3)}")
      .replaceAll("$__toTime", "{to:DateTime64(3)}");
    const params = { from: ago(30 * 24).replace("T", " ").replace("Z", ""), to: new Date().toISOString().replace("T", " ").replace("Z", "") };
    for (const panel of sqlDashboard.panels) {
      assert.equal(panel.datasource.uid, clickhouse.uid);
      for (const target of panel.targets) {
        assert.doesNotMatch(bind(target.rawSql), /\$__/, panel.title);
        const rows = await api.store.query({ name: "test.grafanaSql", sql: bind(target.rawSql), params, rows: z.record(z.string(), z.unknown()) });
        assert.ok(rows.length > 0, `${panel.title} returns rows`);
      }
    }
  });
});
