import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { openStore } from "../src/index.ts";
import { openTestStore } from "./helpers.ts";

const url = process.env.CLICKHOUSE_URL;
const skip = url ? false : "CLICKHOUSE_URL is not set: the ClickHouse server backend is not tested in this run (store.test.ts covers the embedded one)";

describe("ClickHouse server backend", { skip }, () => {
  it("creates its database, migrates, and answers with the shared session settings", async () => {
    const { store, dispose } = await openTestStore("server");
    try {
      assert.equal(store.backend, "server");
      const [row] = await store.query({
        name: "test.settings",
        sql: "SELECT toDateTime64('2026-11-20 10:00:00', 3, 'UTC') AS at, toUInt64(18446744073709551615) AS big, currentDatabase() AS db",
        rows: z.object({ at: z.string(), big: z.number(), db: z.string() }),
      });
      assert.equal(row?.at, "2026-11-20T10:00:00.000Z");
      assert.equal(row?.db, store.database);
    } finally {
      await dispose();
    }
  });

  it("reports an unreachable server as unavailable", async () => {
    await assert.rejects(openStore({ url: "http://127.0.0.1:9", database: "nowhere" }));
  });
});
