import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEventBatch } from "@drumbeat/events";
import { loadMigrations, migrate, openStore, writeEvents, type Store } from "@drumbeat/store";
import { DEFAULT_DORA_SETTINGS, definitionOf, doraSummary } from "../src/index.ts";

const EVENTS = [
  { type: "deployment", deploymentId: "old-1", service: "legacy", environment: "production", version: "aaa1",
    status: "succeeded", occurredAt: "2026-03-02T10:00:00Z", commits: [{ sha: "aaa1", authoredAt: "2026-03-02T08:00:00Z" }] },
  { type: "deployment", deploymentId: "old-2", service: "legacy", environment: "production", version: "aaa2",
    status: "failed", occurredAt: "2026-03-03T10:00:00Z" },
];

/**
 * An installation that ran the migrations before `version`, stored EVENTS, then ran
 * `beforeUpgrade`, and is then upgraded to every migration.
 */
function upgradedInstallation(version: number, beforeUpgrade: (store: Store) => Promise<void> = async () => {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-facts-upgrade-"));
  const state: { store?: Store } = {};
  before(async () => {
    const store = await openStore({ dataDir, database: "drumbeat_facts_upgrade" });
    state.store = store;
    await migrate(store, loadMigrations(undefined).filter((m) => m.version < version));
    const parsed = parseEventBatch(EVENTS);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    await writeEvents(store, parsed.events);
    await beforeUpgrade(store);
    await migrate(store);
  });
  after(async () => {
    await state.store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return state;
}

async function assertFiguresOfEvents(store: Store) {
  const figures = await doraSummary(store, { from: "2026-03-02T00:00:00Z", to: "2026-03-09T00:00:00Z" }, DEFAULT_DORA_SETTINGS);
  assert.deepEqual(figures.changeFailureRate, { failed: 1, total: 2, rate: 0.5, level: "low" });
  assert.deepEqual([figures.leadTime.commits, figures.leadTime.medianSeconds], [1, 7200]);
}

describe("DORA facts arriving on an installation that holds events (0011, embedded engine)", () => {
  const installation = upgradedInstallation(11);
  it("builds facts for the services whose events were stored before the migration", () => assertFiguresOfEvents(installation.store!));
});

describe("DORA facts relaid out (0012) on an installation with facts built (embedded engine)", () => {
  // Facts built under the first layout: recorded as built, later than every event.
  const installation = upgradedInstallation(12, (store) => store.command("test.recordBuild", `
    INSERT INTO dora_builds (environment, definition, service, build, built_at)
    VALUES ('production', {definition:String}, 'legacy', 1, now64(3) + INTERVAL 1 HOUR)`, { definition: definitionOf(DEFAULT_DORA_SETTINGS) }));
  it("rebuilds every service's facts in the new tables", () => assertFiguresOfEvents(installation.store!));
});
