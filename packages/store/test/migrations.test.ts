import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { queryBindAsync } from "chdb";
import { loadMigrations, optimizeShardedStatement, renderMigration } from "../src/index.ts";

/** ClickHouse's own parser, through the embedded engine: throws on a statement it cannot parse. */
async function formatQuery(sql: string): Promise<string> {
  return (await queryBindAsync("SELECT formatQuery({sql:String})", { sql }, { format: "TSVRaw" })).text().trim();
}

describe("migration files", () => {
  const single = loadMigrations(undefined);
  const cluster = loadMigrations("drumbeat_cluster");
  const clusterStatements = cluster.flatMap((m) => m.statements);

  it("are numbered in order without repeats, named verb first", () => {
    const versions = single.map((m) => m.version);
    assert.deepEqual(versions, [...new Set(versions)].sort((a, b) => a - b));
    for (const migration of single) assert.match(migration.name, /^\d{4}_(create|recreate|add|drop|alter|rename|backfill)_[a-z0-9_]+$/);
  });

  it("leave no placeholder behind, on a single server or a cluster", () => {
    for (const statement of [...single, ...cluster].flatMap((m) => m.statements)) assert.doesNotMatch(statement, /\{\{|\}\}/);
  });

  it("on a single server, name no cluster, replica, shard or local table", () => {
    for (const statement of single.flatMap((m) => m.statements)) assert.doesNotMatch(statement, /ON CLUSTER|Replicated|Distributed|_local\b/);
  });

  it("on a cluster, run every DDL statement ON CLUSTER, with Replicated or Distributed engines", () => {
    const ddl = clusterStatements.filter((s) => /^(CREATE|DROP|TRUNCATE)/.test(s));
    assert.ok(ddl.length > 0);
    for (const statement of ddl) assert.match(statement, /ON CLUSTER drumbeat_cluster/);
    // a Null table keeps no data (it only feeds views), so it has nothing to replicate
    for (const statement of clusterStatements.filter((s) => /ENGINE = /.test(s) && !/ENGINE = Null$/.test(s))) {
      assert.match(statement, /ENGINE = (Replicated\w*MergeTree\('\/clickhouse\/tables\/\{uuid\}(\/\{shard\})?', '\{replica\}'|Distributed\(drumbeat_cluster, currentDatabase\(\), \w+_local, cityHash64\(service\)\))/);
    }
  });

  it("on a cluster, shard each event table by service: a local replicated table per shard, a Distributed table over it", () => {
    const tables = (pattern: RegExp) => clusterStatements.flatMap((s) => [...s.matchAll(pattern)].map((m) => m[1]!));
    const locals = tables(/^CREATE TABLE (?:IF NOT EXISTS )?(\w+)_local ON CLUSTER/gm);
    const distributed = tables(/^CREATE TABLE IF NOT EXISTS (\w+) ON CLUSTER drumbeat_cluster AS \w+_local ENGINE = Distributed/gm);
    for (const table of ["events", "deployment_events", "deployments", "deployment_commits", "incident_events", "usecase_results", "flag_events", "commits", "dora_deployment_facts", "dora_commit_facts", "dora_builds", "dora_changes"]) {
      assert.ok(locals.includes(table), `${table}_local`);
      assert.ok(distributed.includes(table), `Distributed ${table}`);
    }
    for (const statement of clusterStatements.filter((s) => /^CREATE TABLE (IF NOT EXISTS )?\w+_local /.test(s) && !/ENGINE = Null$/.test(s))) {
      assert.match(statement, /\{uuid\}\/\{shard\}'/);
    }
    // Small tables are one replica set over every node, not split by shard.
    const tokens = clusterStatements.find((s) => s.startsWith("CREATE TABLE IF NOT EXISTS api_tokens "));
    assert.match(tokens ?? "", /ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{uuid\}', '\{replica\}', updated_at\)/);
  });

  it("on a cluster, fan events out shard-locally: views read and write local tables, or write an unsharded one", () => {
    const views = clusterStatements.filter((s) => s.startsWith("CREATE MATERIALIZED VIEW"));
    assert.ok(views.length >= 8);
    const unsharded = new Set(clusterStatements.flatMap((s) => /^CREATE TABLE IF NOT EXISTS (\w+) ON CLUSTER \w+\s*\(/.exec(s)?.[1] ?? []).filter((t) => !t.endsWith("_local")));
    // Tables that views fill: on a cluster only their _local tables receive rows.
    const fedByViews = new Set(views.map((view) => /\bTO (\w+?)(?:_local)? AS/.exec(view)![1]!));
    for (const view of views) {
      const [, target] = /\bTO (\w+) AS/.exec(view)!;
      const sources = [...view.matchAll(/\bFROM (\w+)/g)].map((m) => m[1]!);
      if (target!.endsWith("_local")) for (const source of sources) assert.match(source, /_local$/, view.slice(0, 80));
      else assert.ok(unsharded.has(target!), `${target} is written once, through the Distributed source, on the node that took the insert`);
      // A view on a Distributed table fires only for inserts into that table, never for rows
      // other views write into its shards: it would see nothing.
      for (const source of sources.filter((s) => !s.endsWith("_local"))) assert.ok(!fedByViews.has(source), `${view.slice(0, 80)} reads ${source}, which views fill: read {{local:${source}}}`);
    }
  });

  it("parse with ClickHouse's own parser, every statement on a single server and on a cluster", async () => {
    for (const statement of [...single.flatMap((m) => m.statements), ...clusterStatements]) {
      await assert.doesNotReject(formatQuery(statement), statement.slice(0, 120));
    }
    await assert.rejects(formatQuery("CREATE TABLE t ON CLUSTER c (a UInt8 ENGINE = MergeTree"), "the parser rejects what it cannot parse");
  });

  it("checksum the file text with sharding markers read as names, so converting an applied migration is not a change", () => {
    assert.equal(single.length, cluster.length);
    single.forEach((migration, i) => assert.equal(migration.checksum, cluster[i]!.checksum));
    const dir = mkdtempSync(join(tmpdir(), "drumbeat-migrations-"));
    try {
      const oldWay = "CREATE TABLE IF NOT EXISTS things {{on_cluster}}\n(\n    service String\n)\nENGINE = {{replicated}}MergeTree\nORDER BY service\n";
      writeFileSync(join(dir, "0001_create_things.sql"), oldWay);
      const [before] = loadMigrations(undefined, dir);
      writeFileSync(join(dir, "0001_create_things.sql"), oldWay.replace("EXISTS things", "EXISTS {{sharded:things}}"));
      const [after] = loadMigrations(undefined, dir);
      assert.equal(after!.checksum, before!.checksum);
      writeFileSync(join(dir, "0001_create_things.sql"), oldWay.replace("String", "LowCardinality(String)"));
      assert.notEqual(loadMigrations(undefined, dir)[0]!.checksum, before!.checksum, "any other edit still counts");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tolerate a table written the old way: on a cluster it is one replicated copy on every node, not split", () => {
    const [statement, ...rest] = renderMigration("CREATE TABLE IF NOT EXISTS things {{on_cluster}}\n(\n    service String\n)\nENGINE = {{replicated}}MergeTree\nORDER BY service", "c");
    assert.deepEqual(rest, []);
    assert.match(statement!, /^CREATE TABLE IF NOT EXISTS things ON CLUSTER c/);
    assert.match(statement!, /ENGINE = ReplicatedMergeTree\('\/clickhouse\/tables\/\{uuid\}', '\{replica\}'\)/);
  });

  it("merge a sharded table on each shard: a Distributed table cannot be optimized", async () => {
    assert.equal(optimizeShardedStatement("dora_commit_facts", undefined), "OPTIMIZE TABLE dora_commit_facts FINAL");
    const onCluster = optimizeShardedStatement("dora_commit_facts", "drumbeat_cluster");
    assert.equal(onCluster, "OPTIMIZE TABLE dora_commit_facts_local ON CLUSTER drumbeat_cluster FINAL");
    assert.ok(clusterStatements.some((s) => s.startsWith("CREATE TABLE IF NOT EXISTS dora_commit_facts_local ON CLUSTER")), "the table it names exists");
    await formatQuery(onCluster);
    assert.throws(() => optimizeShardedStatement("x; DROP TABLE events", undefined));
  });
});
