import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { StoreConfig, StoreError, openStore, storeConfigFromEnv, type Store } from "../src/index.ts";

const N = z.object({ n: z.number() });

describe("store: every statement runs under a time and a memory ceiling", () => {
  let store: Store;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "drumbeat-limits-"));
    store = await openStore({ dataDir, database: `drumbeat_limits_${process.pid}`, url: process.env.CLICKHOUSE_URL || undefined, queryTimeoutSeconds: 1, queryMaxMemoryBytes: 50_000_000 });
  });
  after(async () => {
    if (store.backend === "server") await store.command("test.drop", `DROP DATABASE IF EXISTS ${store.database}`);
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("ends a read that runs past the time ceiling with a resource StoreError, and keeps answering", async () => {
    const started = Date.now();
    const error = await store.query({ name: "test.slow", sql: "SELECT sum(sipHash64(number)) AS n FROM numbers(100000000000)", rows: N }).then(() => undefined, (e) => e);
    assert.ok(error instanceof StoreError, String(error));
    assert.deepEqual([error.kind, error.clickhouseCode], ["resource", 159]);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.deepEqual(await store.query({ name: "test.after", sql: "SELECT 1 AS n", rows: N }), [{ n: 1 }]);
  });

  it("ends a read that needs more memory than the ceiling with a resource StoreError", async () => {
    const error = await store.query({ name: "test.big", sql: "SELECT length(groupArray(number)) AS n FROM numbers(100000000)", rows: N }).then(() => undefined, (e) => e);
    assert.ok(error instanceof StoreError, String(error));
    assert.deepEqual([error.kind, error.clickhouseCode], ["resource", 241]);
  });
});

describe("store configuration", () => {
  it("reads the ceilings from the environment, with defaults", () => {
    const config = StoreConfig.parse(storeConfigFromEnv({ DRUMBEAT_QUERY_TIMEOUT_SECONDS: "20", DRUMBEAT_QUERY_MAX_MEMORY_BYTES: "3000000000" }));
    assert.deepEqual([config.queryTimeoutSeconds, config.queryMaxMemoryBytes], [20, 3_000_000_000]);
    const defaults = StoreConfig.parse({});
    assert.equal(defaults.queryTimeoutSeconds, 300);
    assert.ok(defaults.queryMaxMemoryBytes > 100_000_000);
  });

  it("refuses a data directory that is a file or lies under one, naming DRUMBEAT_DATA_DIR", () => {
    const dir = mkdtempSync(join(tmpdir(), "drumbeat-datadir-"));
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    try {
      for (const dataDir of [file, join(file, "below")]) {
        const result = StoreConfig.safeParse({ dataDir });
        assert.equal(result.success, false, dataDir);
        assert.deepEqual(result.error!.issues.map((i) => i.path.join(".")), ["dataDir"]);
        assert.match(result.error!.issues[0]!.message, /DRUMBEAT_DATA_DIR/);
      }
      // Not checked when a server is used instead.
      assert.equal(StoreConfig.safeParse({ dataDir: file, url: "http://localhost:8123" }).success, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
