import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestApi, type TestApi } from "../../../apps/api/test/helpers.ts";
import { runCli } from "./cli.ts";

const deployment = (service: string, i: number) => ({
  type: "deployment", deploymentId: `${service}-${i}`, occurredAt: `2026-11-1${i}T10:00:00Z`, service,
  environment: "production", version: `v${i}`, status: "succeeded",
});
const ndjson = (items: unknown[]) => items.map((item) => JSON.stringify(item)).join("\n") + "\n";

describe("drumbeat events import and demo", () => {
  let api: TestApi;
  let env: Record<string, string>;
  let dir: string;
  before(async () => {
    api = await startTestApi("cliload");
    env = { DRUMBEAT_URL: api.url };
    dir = mkdtempSync(join(tmpdir(), "drumbeat-cli-import-"));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api.dispose();
  });

  const deploymentsOf = async (service: string) =>
    (await api.call(`/api/v1/deployments?service=${service}&from=2026-01-01T00:00:00Z`)).body.deployments.map((d: any) => d.deploymentId).sort();

  it("imports an NDJSON file in batches with progress and a summary; importing it again adds nothing", async () => {
    const file = join(dir, "events.ndjson");
    writeFileSync(file, ndjson([0, 1, 2, 3, 4].map((i) => deployment("importer", i))));
    const first = await runCli(["events", "import", file, "--batch-size", "2"], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^imported .*events\.ndjson: 5 accepted, 0 duplicates \(already stored\) in [\d.]+ s, [\d,]+ events\/s$/m);
    // stderr is a pipe here: progress comes as lines, not a redrawn bar.
    assert.match(first.stderr, /^importing .*: \d+% \d+ events/m);
    assert.doesNotMatch(first.stderr, /\r/);
    assert.deepEqual(await deploymentsOf("importer"), ["importer-0", "importer-1", "importer-2", "importer-3", "importer-4"]);

    const again = await runCli(["events", "import", file], { env });
    assert.match(again.stdout, /0 accepted, 5 duplicates/);
  });

  it("reads stdin for `-`; --url names the API", async () => {
    const result = await runCli(["events", "import", "-", "--url", api.url], { stdin: ndjson([deployment("piped", 1), deployment("piped", 2)]) });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^imported stdin: 2 accepted/);
    assert.deepEqual(await deploymentsOf("piped"), ["piped-1", "piped-2"]);
  });

  it("stops at a bad line, naming its line number and field, after the batches before it", async () => {
    const file = join(dir, "bad.ndjson");
    const lines = [deployment("partial", 0), deployment("partial", 1), deployment("partial", 2), { ...deployment("partial", 3), status: "exploded" }, deployment("partial", 4)];
    // A blank line still counts: line numbers are the file's own.
    writeFileSync(file, ndjson(lines.slice(0, 2)) + "\n" + ndjson(lines.slice(2)) + "not json\n");
    const result = await runCli(["events", "import", file, "--batch-size", "2"], { env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /invalid events in lines 4-5, nothing of that batch was sent/);
    assert.match(result.stderr, /line 5: status: Invalid option/);
    assert.match(result.stderr, /2 events before line 4 were already imported/);
    assert.deepEqual(await deploymentsOf("partial"), ["partial-0", "partial-1"]);

    const notJson = join(dir, "broken.ndjson");
    writeFileSync(notJson, ndjson([deployment("broken", 0)]) + "{\"type\":\n");
    const broken = await runCli(["events", "import", notJson], { env });
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /line 2: \(event\): not valid JSON/);
    assert.deepEqual(await deploymentsOf("broken"), []);
  });

  it("`demo --days 7` loads a history; a second run adds nothing", async () => {
    const args = ["demo", "--days", "7", "--services", "3", "--end", new Date().toISOString()];
    const first = await runCli(args, { env });
    assert.equal(first.code, 0, first.stderr);
    const loaded = /demo loaded: ([\d,]+) accepted, 0 duplicates/.exec(first.stdout);
    assert.ok(loaded, first.stdout);
    assert.match(first.stderr, /loading demo: 100% /);
    const count = Number(loaded[1]!.replace(/,/g, ""));
    assert.ok(count > 50, `${count} events`);

    const second = await runCli(args, { env });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`demo loaded: 0 accepted, ${loaded[1]} duplicates`));

    const recent = await api.call("/api/v1/deployments?service=checkout&environment=production&limit=5");
    assert.equal(recent.status, 200);
    assert.ok(recent.body.deployments.length > 0);
  });

  it("rejects bad arguments with exit 2", async () => {
    assert.equal((await runCli(["events", "import"], { env })).code, 2);
    assert.equal((await runCli(["events", "import", join(dir, "missing.ndjson")], { env })).code, 2);
    assert.equal((await runCli(["events", "import", "-", "--batch-size", "0"], { env })).code, 2);
    assert.equal((await runCli(["demo", "--services", "99"], { env })).code, 2);
  });
});
