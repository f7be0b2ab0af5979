import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadMigrations } from "../src/index.ts";

describe("migration files", () => {
  const single = loadMigrations(undefined);
  const cluster = loadMigrations("drumbeat_cluster");

  it("are numbered in order without repeats, named verb first", () => {
    const versions = single.map((m) => m.version);
    assert.deepEqual(versions, [...new Set(versions)].sort((a, b) => a - b));
    for (const migration of single) assert.match(migration.name, /^\d{4}_(create|recreate|add|drop|alter|rename|backfill)_[a-z0-9_]+$/);
  });

  it("leave no placeholder behind, on a single server or a cluster", () => {
    for (const statement of [...single, ...cluster].flatMap((m) => m.statements)) assert.doesNotMatch(statement, /\{\{|\}\}/);
  });

  it("become ON CLUSTER with Replicated engines when a cluster is named", () => {
    const statements = cluster.flatMap((m) => m.statements);
    const creates = statements.filter((s) => /^CREATE (TABLE|MATERIALIZED VIEW)/.test(s));
    assert.ok(creates.length > 0);
    for (const statement of creates) assert.match(statement, /ON CLUSTER drumbeat_cluster/);
    for (const statement of statements.filter((s) => /ENGINE = /.test(s))) assert.match(statement, /ENGINE = Replicated\w*MergeTree/);
    for (const statement of single.flatMap((m) => m.statements)) assert.doesNotMatch(statement, /ON CLUSTER|Replicated/);
  });

  it("checksum the file text, so an edited applied migration is caught", () => {
    assert.equal(single.length, cluster.length);
    single.forEach((migration, i) => assert.equal(migration.checksum, cluster[i]!.checksum));
  });
});
