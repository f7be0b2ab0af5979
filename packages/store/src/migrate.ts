import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Store } from "./store.ts";

/** The repository's `clickhouse/` folder: the only place DDL lives. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../clickhouse/", import.meta.url));

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

/** Reads `NNNN_verb_object.sql` files in order, with the cluster placeholders filled in. */
export function loadMigrations(cluster: string | undefined, dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(`${dir}/${file}`, "utf8");
      const sql = text
        .replaceAll("{{on_cluster}}", cluster ? `ON CLUSTER ${cluster}` : "")
        .replaceAll("{{replicated}}", cluster ? "Replicated" : "");
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ""),
        checksum: createHash("sha256").update(text).digest("hex"),
        statements: sql
          .split(/;\s*\n/)
          .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
          .filter((statement) => statement.length > 0),
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
