import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { Session } from "chdb";
import type { QuerySpec, QueryParams, Store } from "./store.ts";
import { parseRows, toJsonEachRow } from "./rows.ts";
import { traced } from "./tracing.ts";

/** Session settings both backends share; see the Store contract. */
export const SESSION_SETTINGS = {
  date_time_output_format: "iso",
  date_time_input_format: "best_effort",
  output_format_json_quote_64bit_integers: 0,
  output_format_json_quote_decimals: 0,
} as const;

let openSession: { path: string; database: string; session: Session } | undefined;

/**
 * The embedded engine. chdb binds one data directory per process, and a session's
 * current database is shared by every query on it, so a process holds one embedded
 * store at a time; tests isolate by process (node --test runs each file in its own).
 */
export class EmbeddedStore implements Store {
  readonly backend = "embedded" as const;
  readonly cluster = undefined;
  private closed = false;

  private constructor(
    private readonly session: Session,
    readonly database: string,
  ) {}

  static async open(dataDir: string, database: string): Promise<EmbeddedStore> {
    const path = resolve(dataDir);
    if (openSession) {
      throw new Error(
        `the embedded store is already open at ${openSession.path} (database ${openSession.database}); ` +
          "one process holds one embedded store: close it first",
      );
    }
    mkdirSync(path, { recursive: true });
    const session = new Session(path, {
      connectionArgs: ["--async_load_databases=0", "--async_load_system_database=0"],
    });
    openSession = { path, database, session };
    for (const [key, value] of Object.entries(SESSION_SETTINGS)) {
      await session.queryAsync(`SET ${key} = ${typeof value === "string" ? `'${value}'` : value}`);
    }
    await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${database}`);
    await session.queryAsync(`USE ${database}`);
    return new EmbeddedStore(session, database);
  }

  query<T>(spec: QuerySpec<T>): Promise<T[]> {
    return traced(spec.name, spec.sql, this.backend, async () => {
      const result = await this.session.queryBindAsync(spec.sql, spec.params ?? {}, { format: "JSONEachRow" });
      return parseRows(result.text(), spec.rows);
    });
  }

  command(name: string, sql: string, params: QueryParams = {}): Promise<void> {
    return traced(name, sql, this.backend, async () => {
      await this.session.queryBindAsync(sql, params);
    });
  }

  insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return traced(`insert ${table}`, `INSERT INTO ${table} FORMAT JSONEachRow`, this.backend, async () => {
      await this.session.insert({ table, values: Buffer.from(toJsonEachRow(rows)), format: "JSONEachRow" });
    });
  }

  async ping(): Promise<void> {
    await this.session.queryAsync("SELECT 1");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.session.close();
    openSession = undefined;
  }
}
