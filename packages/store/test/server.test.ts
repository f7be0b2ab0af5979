import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync, gzipSync } from "node:zlib";
import { createClient } from "@clickhouse/client";
import { z } from "zod";
import { StoreError, migrate, openStore, type Store } from "../src/index.ts";
import { acquireHarness } from "./backend.ts";

/**
 * The server backend (@clickhouse/client over HTTP) and the HTTP interface it relies on,
 * against CLICKHOUSE_URL's server when set, else against the ClickHouse HTTP harness
 * (clickhouse-http/): the same assertions hold for both, which is what keeps the harness honest.
 */
describe("ClickHouse server backend", () => {
  let url: string;
  let release: () => Promise<void>;
  let store: Store;
  before(async () => {
    ({ url, release } = process.env.CLICKHOUSE_URL ? { url: process.env.CLICKHOUSE_URL, release: async () => {} } : await acquireHarness());
    store = await openStore({ url, database: `drumbeat_test_server_${process.pid}` });
    await migrate(store);
  });
  after(async () => {
    await store.command("test.dropDatabase", `DROP DATABASE IF EXISTS ${store.database}`);
    await store.close();
    await release();
  });

  /** A raw request to the HTTP interface, as @clickhouse/client sends it. */
  async function http(search: Record<string, string>, init: RequestInit = {}) {
    const response = await fetch(`${url}/?${new URLSearchParams({ database: store.database, ...search })}`, { method: "POST", ...init });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  it("creates its database, migrates, and answers with the shared session settings", async () => {
    assert.equal(store.backend, "server");
    const [row] = await store.query({
      name: "test.settings",
      sql: "SELECT toDateTime64('2026-11-20 10:00:00', 3, 'UTC') AS at, toUInt64(9007199254740991) AS big, currentDatabase() AS db, getSetting('log_comment') AS comment",
      rows: z.object({ at: z.string(), big: z.number(), db: z.string(), comment: z.string() }),
    });
    assert.deepEqual(row, { at: "2026-11-20T10:00:00.000Z", big: 9007199254740991, db: store.database, comment: "test.settings" });
  });

  it("binds parameters server-side, byte for byte: quotes, backslashes, tabs, newlines, arrays, date-times", async () => {
    const awkward = ["it's", "back\\slash", "tab\there", "line\nbreak", "'; DROP TABLE events; --", "naïve ☃"];
    const [row] = await store.query({
      name: "test.params",
      sql: "SELECT {one:String} AS one, {many:Array(String)} AS many, {at:DateTime64(3, 'UTC')} AS at, {n:UInt32} + 1 AS n",
      params: { one: awkward.join("|"), many: awkward, at: "2026-11-20 10:00:00.250", n: 41 },
      rows: z.object({ one: z.string(), many: z.array(z.string()), at: z.string(), n: z.number() }),
    });
    assert.deepEqual(row, { one: awkward.join("|"), many: awkward, at: "2026-11-20T10:00:00.250Z", n: 42 });
  });

  it("inserts rows sent in the body, through the materialized views, and says how many it wrote", async () => {
    await store.command("test.create", "CREATE TABLE IF NOT EXISTS harness_rows (k String, v UInt32) ENGINE = MergeTree ORDER BY k");
    await store.insert("harness_rows", [{ k: "a", v: 1 }, { k: "b\n'", v: 2 }]);
    const raw = await http({ query: "INSERT INTO harness_rows FORMAT JSONEachRow" }, { body: '{"k":"c","v":3}\n' });
    assert.equal(raw.status, 200);
    assert.equal(JSON.parse(raw.headers.get("x-clickhouse-summary") ?? "{}").written_rows, "1");
    const rows = await store.query({ name: "test.read", sql: "SELECT k, v FROM harness_rows ORDER BY v", rows: z.object({ k: z.string(), v: z.number() }) });
    assert.deepEqual(rows, [{ k: "a", v: 1 }, { k: "b\n'", v: 2 }, { k: "c", v: 3 }]);
  });

  it("reports errors with the server's code header, HTTP status and message, mapped to StoreError", async () => {
    const syntax = await http({ query: "SELEC 1" });
    assert.equal(syntax.status, 400);
    assert.equal(syntax.headers.get("x-clickhouse-exception-code"), "62");
    assert.match(syntax.body.toString(), /^Code: 62\. DB::Exception: .*\(SYNTAX_ERROR\)/s);
    const missing = await http({ query: "SELECT * FROM no_such_table" });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("x-clickhouse-exception-code"), "60");
    await assert.rejects(
      store.query({ name: "test.missing", sql: "SELECT * FROM no_such_table", rows: z.object({}) }),
      (error: unknown) => error instanceof StoreError && error.clickhouseCode === 60 && error.kind === "query" && /test\.missing: .*no_such_table/.test(error.message),
    );
  });

  it("gives each request a fresh context: settings and parameters do not leak into the next one", async () => {
    const first = await http({ query: "SELECT {x:String}, getSetting('max_threads') FORMAT TSV", param_x: "set once", max_threads: "3" });
    assert.equal(first.body.toString(), "set once\t3\n");
    const second = await http({ query: "SELECT {x:String} FORMAT TSV" });
    assert.equal(second.headers.get("x-clickhouse-exception-code"), "456"); // UNKNOWN_QUERY_PARAMETER
    const third = await http({ query: "SELECT getSetting('max_threads') = 3 FORMAT TSV" });
    assert.equal(third.body.toString(), "0\n");
  });

  it("compresses as @clickhouse/client negotiates it (gzip both ways), and only when asked", async () => {
    const plain = await http({ query: "SELECT 'z' FORMAT TSV" }, { headers: { "accept-encoding": "gzip" } });
    assert.equal(plain.headers.get("content-encoding"), null);
    const asked = await http({ query: "SELECT 'z' FORMAT TSV", enable_http_compression: "1" }, { headers: { "accept-encoding": "gzip" } });
    assert.equal(asked.headers.get("content-encoding"), "gzip");
    // fetch undoes the gzip itself; the bytes are the result either way.
    assert.equal(asked.body.toString(), "z\n");
    const client = createClient({ url, database: store.database, compression: { request: true, response: true } });
    try {
      await client.insert({ table: "harness_rows", values: [{ k: "gz", v: 7 }], format: "JSONEachRow" });
      const result = await client.query({ query: "SELECT v FROM harness_rows WHERE k = {k:String}", query_params: { k: "gz" }, format: "JSONEachRow" });
      assert.deepEqual(await result.json(), [{ v: 7 }]);
    } finally {
      await client.close();
    }
    const gzipped = await http({ query: "INSERT INTO harness_rows FORMAT JSONEachRow" }, { body: gzipSync('{"k":"gz2","v":8}\n'), headers: { "content-encoding": "gzip" } });
    assert.equal(gzipped.status, 200, gunzipSafe(gzipped.body));
  });

  it("answers /ping, and the store's ping", async () => {
    const response = await fetch(`${url}/ping`);
    assert.equal(await response.text(), "Ok.\n");
    await store.ping();
  });

  it("reports an unreachable server as unavailable", async () => {
    await assert.rejects(openStore({ url: "http://127.0.0.1:9", database: "nowhere" }), /ECONNREFUSED/);
  });
});

function gunzipSafe(body: Buffer): string {
  try {
    return gunzipSync(body).toString();
  } catch {
    return body.toString();
  }
}
