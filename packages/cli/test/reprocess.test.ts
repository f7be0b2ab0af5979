import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestApi, type TestApi } from "../../../apps/api/test/helpers.ts";
import { runCli } from "./cli.ts";

describe("drumbeat reprocess", () => {
  let api: TestApi;
  before(async () => {
    // Auth off, no secrets: unsigned webhook deliveries are accepted on loopback.
    api = await startTestApi("clireprocess");
    const posted = await api.call("/webhooks/flags", { method: "POST", json: { flag: "new-checkout", action: "disabled", service: "checkout", occurredAt: "2026-03-01T10:00:00Z" } });
    assert.equal(posted.status, 202);
  });
  after(() => api.dispose());

  it("re-runs the mappings over the journal through the API, idempotently", async () => {
    const run = () => runCli(["reprocess", "--source", "flags", "--since", "2020-01-01", "--url", api.url]);
    const first = await run();
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), "reprocessed 1 deliveries from flags: 1 events (0 new), 0 ignored, 0 malformed");
    assert.equal((await run()).stdout, first.stdout);
  });

  it("fails clearly on a missing --since or an unknown source", async () => {
    const missing = await runCli(["reprocess", "--url", api.url]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--since/);
    const unknown = await runCli(["reprocess", "--since", "2026-01-01", "--source", "jenkins", "--url", api.url]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /body\.source/);
  });
});
