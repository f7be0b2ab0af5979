import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { SHARDING_KEY } from "./sharding.ts";
import type { Store } from "./store.ts";

/** The repository's `clickhouse/` folder: the only place DDL lives. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../clickhouse/", import.meta.url));

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

const SHARDED = /\{\{sharded:([a-z0-9_]+)\}\}/g;
const LOCAL = /\{\{local:([a-z0-9_]+)\}\}/g;

/**
 * One migration's statements for a single server (no cluster) or a cluster:
 * - `{{on_cluster}}` becomes `ON CLUSTER name`, `{{replicated}}` prefixes MergeTree engines;
 * - `CREATE TABLE {{sharded:x}}` creates, on a cluster, the shard-local table `x_local` and
 *   the Distributed table `x` over it (sharded by SHARDING_KEY), so reads and inserts
 *   name `x` either way; `DROP TABLE {{sharded:x}}` drops both; `{{local:x}}` names the
 *   shard-local table (materialized views read from and write to it, so each shard fans
 *   out its own rows; TRUNCATE);
 * - a table created without `{{sharded:…}}` is, on a cluster, one replicated copy on
 *   every node (the replication path has no shard), which is correct for any table, and
 *   right for small ones (tokens, journals, build records).
 * On a single server both markers are the plain name.
 */
export function renderMigration(text: string, cluster: string | undefined): string[] {
  const statements = text
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
    .filter((statement) => statement.length > 0);
  if (!cluster) {
    return statements.map((statement) =>
      statement.replaceAll("{{on_cluster}}", "").replaceAll("{{replicated}}", "").replace(SHARDED, "$1").replace(LOCAL, "$1").trim(),
    );
  }
  return statements.flatMap((statement) => {
    const sharded = [...statement.matchAll(SHARDED)].map((match) => match[1]!);
    const rendered = statement
      .replaceAll("{{on_cluster}}", `ON CLUSTER ${cluster}`)
      .replace(SHARDED, "$1_local")
      .replace(LOCAL, "$1_local")
      .replace(/ENGINE = \{\{replicated\}\}(\w*MergeTree)(\(([^)]*)\))?/, (_, engine: string, _args, args: string | undefined) =>
        // The replication path names the shard only for sharded tables: an unsharded one is
        // one replica set spanning every node. ON CLUSTER gives the table one {uuid} everywhere.
        `ENGINE = Replicated${engine}('/clickhouse/tables/{uuid}${sharded.length > 0 ? "/{shard}" : ""}', '{replica}'${args ? `, ${args}` : ""})`,
      );
    if (/^DROP TABLE/i.test(statement)) {
      // Dropping a sharded table drops the Distributed table first, then the shards' tables.
      return [statement.replaceAll("{{on_cluster}}", `ON CLUSTER ${cluster}`).replace(SHARDED, "$1"), rendered];
    }
    const distributed = /^CREATE TABLE/i.test(statement)
      ? sharded.map(
          (table) =>
            `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER ${cluster} AS ${table}_local ` +
            `ENGINE = Distributed(${cluster}, currentDatabase(), ${table}_local, ${SHARDING_KEY})`,
        )
      : [];
    return [rendered, ...distributed];
  });
}

/**
 * The checksum of a migration's text with the sharding markers read as plain names: a
 * migration written before it declared sharding can be converted without counting as
 * changed on the installations that applied it.
 */
function checksumOf(text: string): string {
  return createHash("sha256").update(text.replace(SHARDED, "$1").replace(LOCAL, "$1")).digest("hex");
}

/** Reads `NNNN_verb_object.sql` files in order, rendered for a single server or a cluster. */
export function loadMigrations(cluster: string | undefined, dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(`${dir}/${file}`, "utf8");
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ""),
        checksum: checksumOf(text),
        statements: renderMigration(text, cluster),
      };
    });
}

const AppliedRow = z.object({ version: z.number(), name: z.string(), checksum: z.string() });

async function appliedMigrations(store: Store) {
  const [exists] = await store.query({
    name: "migrations.tableExists",
    sql: "SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'schema_migrations'",
    rows: z.object({ n: z.number() }),
  });
  if (!exists?.n) return new Map<number, z.infer<typeof AppliedRow>>();
  const rows = await store.query({
    name: "migrations.applied",
    sql: "SELECT version, name, checksum FROM schema_migrations FINAL ORDER BY version",
    rows: AppliedRow,
  });
  return new Map(rows.map((row) => [row.version, row]));
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies the migrations not yet recorded, in order, each recorded once it has fully run.
 * Statements are idempotent (IF NOT EXISTS), so a run cut short is safely run again.
 */
export async function migrate(store: Store, migrations = loadMigrations(store.cluster)): Promise<MigrationReport> {
  const applied = await appliedMigrations(store);
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  for (const migration of migrations) {
    const previous = applied.get(migration.version);
    if (previous) {
      if (previous.checksum !== migration.checksum) {
        throw new Error(
          `migration ${migration.name} was changed after it was applied (checksum differs); add a new migration instead`,
        );
      }
      report.alreadyApplied += 1;
      continue;
    }
    for (const statement of migration.statements) await store.command(`migrate ${migration.name}`, statement);
    await store.insert("schema_migrations", [
      { version: migration.version, name: migration.name, checksum: migration.checksum },
    ]);
    report.applied.push(migration.name);
  }
  return report;
}

/** Whether every migration in the tree is applied (for /readyz). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const applied = await appliedMigrations(store);
  return loadMigrations(store.cluster)
    .filter((migration) => !applied.has(migration.version))
    .map((migration) => migration.name);
}
