import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestApi, type TestApi } from "./helpers.ts";

/** A small post-deployment suite for node's own test runner; BREAK=1 makes "refund an order" fail. */
const SUITE = `
import { describe, it } from "node:test";
import assert from "node:assert/strict";
describe("checkout", () => {
  it("pay with card", () => assert.equal(2 + 2, 4));
  it("refund an order", () => assert.equal(process.env.BREAK, "0", "refund answered 500"));
  it.skip("pay with gift card", () => {});
});
describe("account", () => {
  it("sign in", () => {});
});
`;

/** A JUnit report written by node's test runner itself (`--test-reporter=junit`). */
function junitReport(dir: string, broken: boolean): string {
  return execFileSync(process.execPath, ["--test", "--test-reporter=junit", join(dir, "smoke.test.mjs")], {
    // Without NODE_TEST_CONTEXT: set by the runner running this file, it would make the child report to it, not in JUnit.
    env: { ...process.env, NODE_TEST_CONTEXT: undefined, BREAK: broken ? "1" : "0", NODE_OPTIONS: "" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).toString();
}
function junitReportExpectingFailure(dir: string): string {
  try {
    return junitReport(dir, true);
  } catch (error) {
    return String((error as { stdout: string }).stdout); // the runner exits 1 when a test fails
  }
}

const deployment = (id: string, hours: number, sha: string) => ({
  type: "deployment", deploymentId: id, service: "shop", environment: "production", version: sha, status: "succeeded",
  occurredAt: new Date(Date.parse("2026-11-20T10:00:00Z") + hours * 3_600_000).toISOString(),
  commits: [{ sha, authoredAt: "2026-11-19T16:05:00Z", author: "ana", message: `change ${sha}` }],
});

describe("use cases over HTTP: JUnit import, attribution, matrix, history", () => {
  let api: TestApi;
  let dir: string;
  let passing: string;
  let failing: string;
  const xml = (body: string, query: string, type = "application/xml") =>
    api.call(`/api/v1/usecases/junit?${query}`, { method: "POST", headers: { "content-type": type }, body });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "drumbeat-junit-"));
    writeFileSync(join(dir, "smoke.test.mjs"), SUITE);
    passing = junitReport(dir, false);
    failing = junitReportExpectingFailure(dir);
    api = await startTestApi("usecases");
  });
  after(async () => {
    await api.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("imports node's JUnit report; the same report twice counts once", async () => {
    assert.equal((await api.call("/api/v1/events", { method: "POST", json: deployment("shop-1", 0, "aaaa111") })).status, 202);
    const first = await xml(passing, "deploymentId=shop-1");
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.deepEqual([first.body.testcases, first.body.accepted, first.body.duplicates], [4, 4, 0]);
    const again = await xml(passing, "deploymentId=shop-1");
    assert.deepEqual([again.status, again.body.accepted, again.body.duplicates], [202, 0, 4]);
  });

  it("keeps results for a deployment not yet known, and attributes the break once it arrives", async () => {
    const early = await xml(failing, "deploymentId=shop-2&service=shop&environment=production", "text/xml");
    assert.deepEqual([early.status, early.body.accepted], [202, 4]);
    const before = await api.call("/api/v1/usecases/refund%20an%20order/history?service=shop&environment=production");
    assert.deepEqual([before.status, before.body.runs.length, before.body.unlinkedResults], [200, 1, 1]);

    await api.call("/api/v1/events", { method: "POST", json: deployment("shop-2", 1, "bbbb222") });
    const list = await api.call("/api/v1/usecases?service=shop&environment=production");
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.usecases.map((u: any) => [u.usecase, u.suite, u.status]), [
      ["refund an order", "checkout", "fail"],
      ["pay with card", "checkout", "pass"],
      ["sign in", "account", "pass"],
    ]);
    const refund = list.body.usecases[0];
    assert.deepEqual([refund.breaking.deploymentId, refund.culprit.sha, refund.flaky, refund.passRate, refund.brokenSince],
      ["shop-2", "bbbb222", false, 0.5, "2026-11-20T11:00:00.000Z"]);
    assert.match(refund.lastRun.error, /refund answered 500/);

    const detail = await api.call("/api/v1/deployments/shop-2");
    assert.deepEqual(detail.body.usecases.broke.map((b: any) => [b.usecase, b.culprit.sha]), [["refund an order", "bbbb222"]]);
    assert.deepEqual(detail.body.usecases.fixed, []);
  });

  it("a later report fixes it; the matrix and the history show each run", async () => {
    await api.call("/api/v1/events", { method: "POST", json: deployment("shop-3", 3, "cccc333") });
    assert.equal((await xml(passing.replace("<testsuites>", "<testsuites name=\"rerun\">"), "service=shop&environment=production&version=cccc333")).status, 202);
    const detail = await api.call("/api/v1/deployments/shop-3");
    assert.deepEqual(detail.body.usecases.fixed.map((b: any) => [b.usecase, b.breaking.deploymentId, b.brokenSeconds]), [["refund an order", "shop-2", 7200]]);

    const matrix = await api.call("/api/v1/usecases/matrix?service=shop&environment=production&limit=2");
    assert.equal(matrix.status, 200);
    assert.deepEqual(matrix.body.deployments.map((d: any) => d.deploymentId), ["shop-2", "shop-3"]);
    assert.deepEqual(matrix.body.usecases.map((u: any) => [u.usecase, ...u.cells]), [
      ["pay with card", "pass", "pass"], ["pay with gift card", "skip", "skip"], ["refund an order", "fail", "pass"], ["sign in", "pass", "pass"],
    ]);
    const history = await api.call("/api/v1/usecases/refund%20an%20order/history?service=shop&environment=production");
    assert.deepEqual(history.body.runs.map((r: any) => [r.deploymentId, r.outcome]), [["shop-1", "pass"], ["shop-2", "fail"], ["shop-3", "pass"]]);
    assert.deepEqual(history.body.breaks.map((b: any) => [b.breaking.deploymentId, b.fixing.deploymentId]), [["shop-2", "shop-3"]]);
  });

  it("reads <error> as a failure, nested suites as a path, and a timestamp without offset as UTC", async () => {
    const report = `<testsuite name="api" timestamp="2026-11-20T12:30:00"><testsuite name="orders">
      <testcase name="list orders" time="0.5"><error message="ECONNRESET"/></testcase></testsuite></testsuite>`;
    const posted = await xml(report, "service=shop&environment=production&version=cccc333");
    assert.deepEqual([posted.status, posted.body.accepted], [202, 1]);
    const history = await api.call("/api/v1/usecases/list%20orders/history?service=shop&environment=production");
    assert.deepEqual(history.body.runs.map((r: any) => [r.deploymentId, r.outcome, r.error, r.lastAt]),
      [["shop-3", "fail", "ECONNRESET", "2026-11-20T12:30:00.000Z"]]);
    assert.equal(history.body.state.suite, "api › orders");
    const empty = await xml("<testsuites/>", "deploymentId=shop-1");
    assert.deepEqual([empty.status, empty.body.testcases, empty.body.accepted], [202, 0, 0]);
  });

  it("rejects bad input with 4xx naming the field, and writes nothing", async () => {
    const noTarget = await xml(passing, "service=shop");
    assert.deepEqual([noTarget.status, noTarget.body.issues.map((i: any) => i.path)], [400, ["query.deploymentId"]]);
    const unknown = await xml(passing, "deploymentId=nope");
    assert.deepEqual([unknown.status, unknown.body.error], [404, "unknown_deployment"]);
    const broken = await xml("<testsuites><testsuite name='x'><testcase name='a'></testsuite>", "deploymentId=shop-1");
    assert.deepEqual([broken.status, broken.body.error], [400, "malformed_xml"]);
    const notJunit = await xml("<html><body/></html>", "deploymentId=shop-1");
    assert.deepEqual([notJunit.status, notJunit.body.error], [400, "not_junit"]);
    const json = await xml(passing, "deploymentId=shop-1", "application/json");
    assert.equal(json.status, 415);
    const nameless = await xml("<testsuite name='s'><testcase name='ok'/><testcase time='1'/></testsuite>", "deploymentId=shop-1");
    assert.deepEqual([nameless.status, nameless.body.issues.map((i: any) => `${i.index}:${i.path}`)], [400, ["1:usecase"]]);
    const list = await api.call("/api/v1/usecases?service=shop&environment=production");
    assert.ok(!list.body.usecases.some((u: any) => u.usecase === "ok"), "nothing of a rejected report is written");
    const limit = await api.call("/api/v1/usecases/matrix?service=shop&environment=production&limit=0");
    assert.deepEqual([limit.status, limit.body.issues[0].path], [400, "query.limit"]);
    const noScope = await api.call("/api/v1/usecases?service=shop");
    assert.deepEqual([noScope.status, noScope.body.issues[0].path], [400, "query.environment"]);
  });

  it("documents every route in OpenAPI, the JUnit body as XML", async () => {
    const { body } = await api.call("/api/openapi.json");
    for (const path of ["/api/v1/usecases", "/api/v1/usecases/matrix", "/api/v1/usecases/{usecase}/history", "/api/v1/usecases/junit"]) {
      assert.ok(body.paths[path], path);
    }
    assert.ok(body.paths["/api/v1/usecases/junit"].post.requestBody.content["application/xml"]);
    assert.ok(body.paths["/api/v1/deployments/{deploymentId}"].get.responses["200"].content["application/json"].schema.properties.usecases);
  });
});
