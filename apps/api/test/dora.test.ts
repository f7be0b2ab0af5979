import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { apiConfigFromEnv } from "../src/index.ts";
import { usecaseBreaksSetting } from "../src/config.ts";
import { startTestApi, type TestApi } from "./helpers.ts";

const RANGE = "from=2026-03-02T00:00:00Z&to=2026-03-16T00:00:00Z";
const base = { type: "deployment", environment: "live", team: "payments", service: "checkout", status: "succeeded" };
const events = [
  { ...base, deploymentId: "d1", version: "a1", occurredAt: "2026-03-03T10:00:00Z", commits: [{ sha: "aaa1", authoredAt: "2026-03-03T08:00:00Z" }] },
  { ...base, deploymentId: "d2", version: "a2", occurredAt: "2026-03-10T10:00:00Z", status: "failed", commits: [{ sha: "aaa2", authoredAt: "2026-03-10T09:00:00Z" }] },
  { ...base, deploymentId: "d3", version: "a3", occurredAt: "2026-03-10T12:00:00Z", kind: "hotfix", commits: [{ sha: "aaa3", authoredAt: "2026-03-10T11:00:00Z" }] },
  { ...base, team: "growth", service: "search", deploymentId: "s1", version: "b1", occurredAt: "2026-03-04T10:00:00Z" },
  { ...base, environment: "staging", deploymentId: "st1", version: "a1", occurredAt: "2026-03-03T09:00:00Z", commits: [{ sha: "aaa1", authoredAt: "2026-03-03T08:00:00Z" }] },
  // An incident two hours after s1: counts only while the correlation window is on (it is off here).
  { type: "incident", environment: "live", service: "search", incidentId: "i1", status: "opened", occurredAt: "2026-03-04T12:00:00Z" },
];

describe("GET /api/v1/dora", () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi("dora", { productionEnvironment: "live", cfrIncidentWindowHours: 0 });
    const posted = await api.call("/api/v1/events", { method: "POST", json: events });
    assert.equal(posted.status, 202);
  });
  after(() => api.dispose());

  it("returns the four keys, rework, levels, thresholds and the previous range for the production environment", async () => {
    const { status, body } = await api.call(`/api/v1/dora?${RANGE}`);
    assert.equal(status, 200);
    assert.deepEqual(body.range, { from: "2026-03-02T00:00:00.000Z", to: "2026-03-16T00:00:00.000Z", days: 14, environment: "live" });
    assert.deepEqual(body.deploymentFrequency, { count: 3, rollbacks: 0, perDay: 3 / 14, perWeek: 1.5, level: "high" });
    // aaa2 only reached a failed deployment: lead times 2 h (aaa1) and 1 h (aaa3), median 1.5 h, too few for a p90.
    assert.deepEqual(body.leadTime, { commits: 2, medianSeconds: 5400, p90Seconds: null, level: "elite" });
    // d2 failed by status (and is followed by a hotfix); the incident is not correlated (window 0).
    assert.deepEqual(body.changeFailureRate, { failed: 1, total: 4, rate: 0.25, level: "low" });
    assert.deepEqual(body.recoveryTime, { failures: 1, unrecovered: 0, medianSeconds: 7200, p90Seconds: null, level: "high" });
    assert.deepEqual(body.reworkRate, { rework: 1, total: 4, rate: 0.25 });
    assert.equal(body.thresholds.year, 2023);
    assert.equal(body.thresholds.changeFailureRate.elite, 0.05);
    assert.equal(body.previous.range.from, "2026-02-16T00:00:00.000Z");
    assert.equal(body.previous.deploymentFrequency.count, 0);
    assert.equal(body.previous.changeFailureRate.rate, null);
  });

  it("measures another environment when `environment` is given", async () => {
    const { body } = await api.call(`/api/v1/dora?${RANGE}&environment=staging`);
    assert.deepEqual([body.range.environment, body.deploymentFrequency.count, body.leadTime.medianSeconds], ["staging", 1, 3600]);
  });

  it("groups by team, one row per team", async () => {
    const { status, body } = await api.call(`/api/v1/dora?${RANGE}&groupBy=team`);
    assert.equal(status, 200);
    assert.deepEqual(body.groups.map((g: any) => [g.key, g.deploymentFrequency.count, g.changeFailureRate.failed]), [["growth", 1, 0], ["payments", 2, 1]]);
  });

  it("gives one point per week, empty weeks included", async () => {
    const { body } = await api.call(`/api/v1/dora/timeseries?bucket=week&from=2026-02-23T00:00:00Z&to=2026-03-16T00:00:00Z&service=checkout`);
    assert.deepEqual(body.points.map((p: any) => [p.start.slice(0, 10), p.deploymentFrequency.count, p.changeFailureRate.rate]),
      [["2026-02-23", 0, null], ["2026-03-02", 1, 0], ["2026-03-09", 1, 0.5]]);
  });

  it("drills down into failures and lead times", async () => {
    const failures = await api.call(`/api/v1/dora/failures?${RANGE}`);
    assert.deepEqual(failures.body.failures.map((f: any) => [f.deploymentId, f.reasons, f.recoveredBy, f.recoverySeconds]),
      [["d2", ["failed_status", "followed_by_hotfix"], "deployment", 7200]]);
    const leads = await api.call(`/api/v1/dora/lead-times?${RANGE}&limit=2`);
    assert.deepEqual(leads.body.commits.map((c: any) => [c.sha, c.leadSeconds]), [["aaa1", 7200], ["aaa3", 3600]]);
  });

  it("answers a filter that matches nothing with an empty result, not a 404", async () => {
    const { status, body } = await api.call(`/api/v1/dora?${RANGE}&service=nothing-here`);
    assert.equal(status, 200);
    assert.deepEqual([body.deploymentFrequency.count, body.leadTime.medianSeconds, body.changeFailureRate.rate], [0, null, null]);
    const failures = await api.call(`/api/v1/dora/failures?${RANGE}&service=nothing-here`);
    assert.deepEqual([failures.status, failures.body.failures], [200, []]);
  });

  it("rejects a bad bucket and a backwards range with 400", async () => {
    const bucket = await api.call("/api/v1/dora/timeseries?bucket=year");
    assert.equal(bucket.status, 400);
    assert.ok(bucket.body.issues.some((i: any) => i.path === "query.bucket"));
    const backwards = await api.call("/api/v1/dora?from=2026-03-16T00:00:00Z&to=2026-03-02T00:00:00Z");
    assert.deepEqual([backwards.status, backwards.body.error], [400, "invalid_range"]);
  });

  it("says how fresh every answer is, and what the background builds did", async () => {
    const before = new Date().toISOString();
    await api.call("/api/v1/events", { method: "POST", json: [{ ...base, deploymentId: "d9", version: "a9", occurredAt: "2026-03-11T10:00:00Z" }] });
    const { body } = await api.call(`/api/v1/dora?${RANGE}`);
    assert.deepEqual([body.upToDate, body.deploymentFrequency.count], [true, 4]);
    assert.ok(body.asOf >= before && body.asOf <= new Date().toISOString(), `${body.asOf} within the request`);
    for (const path of ["/api/v1/dora/failures", "/api/v1/dora/lead-times", "/api/v1/dora/timeseries"]) {
      assert.deepEqual((await api.call(`${path}?${RANGE}`)).body.upToDate, true, path);
    }
    const status = await api.call("/api/v1/dora/status");
    assert.equal(status.status, 200);
    const [live] = status.body.builds.filter((b: any) => b.environment === "live");
    // The changed service, plus any built within the settling margin before it (docs/dora.md), all built.
    assert.deepEqual([live.state, live.built === live.services, live.services >= 1, live.error], ["idle", true, true, null]);
  });

  it("reads how long a request waits for a build from DRUMBEAT_DORA_BUILD_WAIT_MS, 5 s by default", () => {
    assert.equal(apiConfigFromEnv({}).doraBuildWaitMs, 5_000);
    assert.equal(apiConfigFromEnv({ DRUMBEAT_DORA_BUILD_WAIT_MS: "0" }).doraBuildWaitMs, 0);
    assert.throws(() => apiConfigFromEnv({ DRUMBEAT_DORA_BUILD_WAIT_MS: "soon" }), /DRUMBEAT_DORA_BUILD_WAIT_MS/);
  });

  it("reads the incident window from DRUMBEAT_CFR_INCIDENT_WINDOW_HOURS, 24 by default", () => {
    assert.equal(apiConfigFromEnv({}).cfrIncidentWindowHours, 24);
    assert.equal(apiConfigFromEnv({ DRUMBEAT_CFR_INCIDENT_WINDOW_HOURS: "0" }).cfrIncidentWindowHours, 0);
    assert.throws(() => apiConfigFromEnv({ DRUMBEAT_CFR_INCIDENT_WINDOW_HOURS: "-1" }), /DRUMBEAT_CFR_INCIDENT_WINDOW_HOURS/);
  });

  it("detects rollbacks from versions unless DRUMBEAT_DETECT_ROLLBACKS=off", () => {
    assert.equal(apiConfigFromEnv({}).detectRollbacks, "on");
    assert.equal(apiConfigFromEnv({ DRUMBEAT_DETECT_ROLLBACKS: "off" }).detectRollbacks, "off");
    assert.throws(() => apiConfigFromEnv({ DRUMBEAT_DETECT_ROLLBACKS: "no" }), /DRUMBEAT_DETECT_ROLLBACKS/);
  });

  it("counts metric regressions as change failures only with DRUMBEAT_CFR_COUNT_REGRESSIONS=on", () => {
    assert.equal(apiConfigFromEnv({}).cfrCountRegressions, "off");
    assert.equal(apiConfigFromEnv({ DRUMBEAT_CFR_COUNT_REGRESSIONS: "on" }).cfrCountRegressions, "on");
    assert.throws(() => apiConfigFromEnv({ DRUMBEAT_CFR_COUNT_REGRESSIONS: "yes" }), /DRUMBEAT_CFR_COUNT_REGRESSIONS/);
  });

  it("counts use-case breaks as change failures only with DRUMBEAT_CFR_COUNT_USECASE_BREAKS=on, judged with the use-case flakiness settings", () => {
    assert.equal(usecaseBreaksSetting(apiConfigFromEnv({})), undefined);
    assert.equal(usecaseBreaksSetting(apiConfigFromEnv({ DRUMBEAT_CFR_COUNT_USECASE_BREAKS: "off" })), undefined);
    assert.deepEqual(usecaseBreaksSetting(apiConfigFromEnv({ DRUMBEAT_CFR_COUNT_USECASE_BREAKS: "on", DRUMBEAT_USECASE_MAX_FLIPS: "5" })),
      { flakyWindow: 10, maxFlips: 5 });
    assert.throws(() => apiConfigFromEnv({ DRUMBEAT_CFR_COUNT_USECASE_BREAKS: "yes" }), /DRUMBEAT_CFR_COUNT_USECASE_BREAKS/);
  });
});
