import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { createToken } from "@drumbeat/store";
import { apiConfigFromEnv } from "../src/index.ts";
import { TokenCache } from "../src/http/tokenCache.ts";
import { startTestApi, type TestApi } from "./helpers.ts";

const event = { type: "flag", flag: "new-checkout", action: "disabled", service: "checkout", environment: "production", occurredAt: "2026-11-20T10:00:00Z" };

describe("bearer tokens and scopes", () => {
  let api: TestApi;
  const tokens: Record<string, string> = {};
  before(async () => {
    api = await startTestApi("auth", { auth: "on" });
    for (const scope of ["ingest", "read", "admin"] as const) tokens[scope] = (await createToken(api.store, scope, [scope])).token;
  });
  after(() => api.dispose());

  const ingest = (token?: string) => api.call("/api/v1/events", { method: "POST", json: event, token });
  const read = (token?: string) => api.call("/api/v1/deployments", { token });

  it("keeps the token cache bounded under a flood of unknown tokens, still answering each right", async () => {
    const auth = (api.server.listeners("request")[0] as unknown as { locals: { auth: { tokens: TokenCache } } }).locals.auth;
    const original = auth.tokens;
    assert.equal(original.capacity, 10_000);
    auth.tokens = new TokenCache(20);
    try {
      for (let i = 0; i < 60; i++) assert.equal((await read(`dbt_flood-${i}-${"x".repeat(2_000)}`)).status, 401);
      assert.equal(auth.tokens.size, 20);
      assert.equal((await read(tokens.read)).status, 200);
      assert.equal(auth.tokens.size, 20);
    } finally {
      auth.tokens = original;
    }
  });

  it("refuses anonymous and unknown tokens with 401", async () => {
    assert.equal((await ingest()).status, 401);
    assert.equal((await read()).status, 401);
    assert.equal((await read("dbt_not-a-real-token")).status, 401);
  });

  it("lets an ingest token post but not read", async () => {
    assert.equal((await ingest(tokens.ingest)).status, 202);
    const denied = await read(tokens.ingest);
    assert.deepEqual([denied.status, denied.body.error], [403, "forbidden"]);
  });

  it("lets a read token read but not post", async () => {
    assert.equal((await read(tokens.read)).status, 200);
    assert.equal((await ingest(tokens.read)).status, 403);
  });

  it("lets an admin token do both, and keeps health checks public", async () => {
    assert.equal((await read(tokens.admin)).status, 200);
    assert.equal((await ingest(tokens.admin)).status, 202);
    assert.equal((await api.call("/healthz")).status, 200);
  });

  it("stores only the hash of a token", async () => {
    const rows = await api.store.query({
      name: "test.tokens",
      sql: "SELECT count() AS n FROM api_tokens WHERE token_hash = {token:String} OR name = {token:String}",
      params: { token: tokens.admin },
      rows: z.object({ n: z.number() }),
    });
    assert.equal(rows[0]?.n, 0);
  });
});

describe("configuration", () => {
  it("refuses anonymous access on a non-loopback address, naming the variable", () => {
    assert.throws(() => apiConfigFromEnv({ DRUMBEAT_AUTH: "off", HOST: "0.0.0.0" }), /DRUMBEAT_AUTH: .*loopback/);
    assert.doesNotThrow(() => apiConfigFromEnv({ DRUMBEAT_AUTH: "off", HOST: "127.0.0.1" }));
    assert.doesNotThrow(() => apiConfigFromEnv({ HOST: "0.0.0.0" }));
  });

  it("names a bad variable", () => {
    assert.throws(() => apiConfigFromEnv({ PORT: "eighty" }), /PORT: /);
    assert.throws(() => apiConfigFromEnv({ CLICKHOUSE_DATABASE: "drop table" }), /CLICKHOUSE_DATABASE: /);
  });
});
