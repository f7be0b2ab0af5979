import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestApi, type TestApi } from "../../../apps/api/test/helpers.ts";
import { runCli } from "./cli.ts";

const report = (failing: boolean) => `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="smoke" timestamp="2026-11-20T10:06:00">
    <testcase name="pay with card" time="1.5"/>
    <testcase name="refund an order" time="0.25">${failing ? '<failure message="500 from /refunds">stack</failure>' : ""}</testcase>
  </testsuite>
</testsuites>`;

const github = {
  GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/checkout", GITHUB_SHA: "3f2c9a1e5b7d", GITHUB_RUN_ID: "77", GITHUB_RUN_ATTEMPT: "1",
};

describe("drumbeat report junit", () => {
  let api: TestApi;
  let dir: string;
  before(async () => {
    api = await startTestApi("clireport");
    dir = mkdtempSync(join(tmpdir(), "drumbeat-report-"));
    writeFileSync(join(dir, "ok.xml"), report(false));
    writeFileSync(join(dir, "broken.xml"), report(true));
  });
  after(async () => {
    await api.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const history = async (usecase: string, service: string) =>
    (await api.call(`/api/v1/usecases/${encodeURIComponent(usecase)}/history?service=${service}&environment=production`)).body;

  it("posts each file for --deployment; posting again counts once", async () => {
    await api.call("/api/v1/events", { method: "POST", json: {
      type: "deployment", deploymentId: "d-1", service: "shop", environment: "production", version: "v1", status: "succeeded", occurredAt: "2026-11-20T10:00:00Z",
    } });
    const env = { DRUMBEAT_URL: api.url };
    const first = await runCli(["report", "junit", join(dir, "ok.xml"), "--deployment", "d-1"], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /ok\.xml: 2 test cases, 2 recorded, 0 already recorded/);
    const again = await runCli(["report", "junit", join(dir, "ok.xml"), "--deployment", "d-1"], { env });
    assert.match(again.stdout, /2 test cases, 0 recorded, 2 already recorded/);
    const h = await history("pay with card", "shop");
    assert.deepEqual(h.runs.map((r: any) => [r.deploymentId, r.passes, r.lastAt]), [["d-1", 1, "2026-11-20T10:06:00.000Z"]]);
  });

  it("in GitHub Actions finds the deployment `drumbeat deploy` recorded in the same run", async () => {
    const env = { DRUMBEAT_URL: api.url, ...github };
    const deployed = await runCli(["deploy", "--status", "succeeded", "--environment", "production"], { env });
    assert.equal(deployed.code, 0, deployed.stderr);
    const posted = await runCli(["report", "junit", join(dir, "broken.xml"), "--environment", "production"], { env });
    assert.equal(posted.code, 0, posted.stderr);
    const h = await history("refund an order", "checkout");
    assert.deepEqual(h.runs.map((r: any) => [r.deploymentId, r.outcome, r.error]), [["gh-acme/checkout-77-1-production", "fail", "500 from /refunds\nstack"]]);
  });

  it("says what is missing, and exits 2 without sending", async () => {
    const none = await runCli(["report", "junit", join(dir, "ok.xml")], { env: { DRUMBEAT_URL: api.url } });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--deployment ID, or --service, --environment and --version/);
    const missing = await runCli(["report", "junit", join(dir, "nope.xml"), "--deployment", "d-1"], { env: { DRUMBEAT_URL: api.url } });
    assert.deepEqual([missing.code, /cannot read/.test(missing.stderr)], [2, true]);
    const unknown = await runCli(["report", "junit", join(dir, "ok.xml"), "--deployment", "d-404"], { env: { DRUMBEAT_URL: api.url } });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /404: no deployment 'd-404' yet/);
  });
});
