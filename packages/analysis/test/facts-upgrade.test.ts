import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEventBatch } from "@drumbeat/events";
import { loadMigrations, migrate, openStore, writeEvents, type Store } from "@drumbeat/store";
import { DEFAULT_DORA_SETTINGS, doraSummary } from "../src/index.ts";

/** The DORA facts migration (0011) arrives on an installation that already holds events. */
describe("DORA facts on an upgraded installation (embedded engine)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-facts-upgrade-"));
  let store: Store;

  before(async () => {
    store = await openStore({ dataDir, database: "drumbeat_facts_upgrade" });
    await migrate(store, loadMigrations(undefined).filter((m) => m.version < 11));
    const parsed = parseEventBatch([
      { type: "deployment", deploymentId: "old-1", service: "legacy", environment: "production", version: "aaa1",
        status: "succeeded", occurredAt: "2026-03-02T10:00:00Z", commits: [{ sha: "aaa1", authoredAt: "2026-03-02T08:00:00Z" }] },
      { type: "deployment", deploymentId: "old-2", service: "legacy", environment: "production", version: "aaa2",
        status: "failed", occurredAt: "2026-03-03T10:00:00Z" },
    ]);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    await writeEvents(store, parsed.events);
    await migrate(store);
  });
  after(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("builds facts for the services whose events were stored before the migration", async () => {
    const figures = await doraSummary(store, { from: "2026-03-02T00:00:00Z", to: "2026-03-09T00:00:00Z" }, DEFAULT_DORA_SETTINGS);
    assert.deepEqual(figures.changeFailureRate, { failed: 1, total: 2, rate: 0.5, level: "low" });
    assert.deepEqual([figures.leadTime.commits, figures.leadTime.medianSeconds], [1, 7200]);
  });
});
