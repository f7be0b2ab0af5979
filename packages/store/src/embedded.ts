import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { Session, drainPending } from "chdb";
import { limitSettings, type ResolvedStoreConfig } from "./config.ts";
import type { QuerySpec, QueryParams, Store } from "./store.ts";
import { parseRows, toJsonEachRow } from "./rows.ts";
import { detachStdinFromEngine } from "./stdin.ts";
import { traced } from "./tracing.ts";

/**
 * Session settings both backends share; see the Store contract. Every date-time is UTC
 * whatever the host's zone: functions without an explicit zone (toDate, now64, parsing a
 * parameter) otherwise use the server's, which the embedded engine takes from TZ.
 */
export const SESSION_SETTINGS = {
  session_timezone: "UTC",
  date_time_output_format: "iso",
  date_time_input_format: "best_effort",
  output_format_json_quote_64bit_integers: 0,
  output_format_json_quote_decimals: 0,
} as const;

let openStore: { path: string; database: string } | undefined;

/**
 * chdb runs one operation at a time per connection, but connections to the same data
 * directory run in parallel; a small pool lets a lookup, an insert and a dashboard query
 * proceed together, as they would on a server. Writes never take the first connection,
 * so a read (the ingest writer's id lookup above all) never waits behind a load's inserts.
 */
const CONNECTIONS = Math.max(3, availableParallelism() + 1);

/** How long an engine operation runs before it is reported, and again each time after. */
const SLOW_OPERATION_MS = 60_000;

/** A connection with the shared settings and the statement ceilings, in the store's database. */
async function connect(path: string, database: string, limits: ReturnType<typeof limitSettings>): Promise<Session> {
  const session = new Session(path, {
    connectionArgs: ["--async_load_databases=0", "--async_load_system_database=0"],
  });
  for (const [key, value] of Object.entries({ ...SESSION_SETTINGS, ...limits })) {
    await session.queryAsync(`SET ${key} = ${typeof value === "string" ? `'${value}'` : value}`);
  }
  await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${database}`);
  await session.queryAsync(`USE ${database}`);
  return session;
}

/**
 * The embedded engine. chdb binds one data directory per process, and a connection's
 * current database is shared by every query on it, so a process holds one embedded
 * store at a time; tests isolate by process (node --test runs each file in its own).
 */
export class EmbeddedStore implements Store {
  readonly backend = "embedded" as const;
  readonly cluster = undefined;
  private closed = false;
  private readonly busy: number[];
  private writes = 0;
  ingestLoaded?: () => Promise<void>;

  private constructor(
    private readonly sessions: Session[],
    readonly database: string,
  ) {
    this.busy = sessions.map(() => 0);
  }

  static async open(config: ResolvedStoreConfig): Promise<EmbeddedStore> {
    const { database } = config;
    const path = resolve(config.dataDir);
    if (openStore) {
      throw new Error(
        `the embedded store is already open at ${openStore.path} (database ${openStore.database}); ` +
          "one process holds one embedded store: close it first",
      );
    }
    mkdirSync(path, { recursive: true });
    detachStdinFromEngine();
    openStore = { path, database };
    try {
      const sessions: Session[] = [];
      for (let i = 0; i < CONNECTIONS; i++) sessions.push(await connect(path, database, limitSettings(config)));
      return new EmbeddedStore(sessions, database);
    } catch (error) {
      openStore = undefined;
      throw error;
    }
  }

  /**
   * Runs an operation on the least busy connection it may use (writes: any but the first).
   * One still running after a minute is reported (a process warning naming it), so a
   * stalled engine is seen, not guessed at.
   */
  private async withSession<T>(name: string, run: (session: Session) => Promise<T>, writing = false): Promise<T> {
    const first = writing ? 1 : 0;
    const lanes = this.busy.slice(first);
    const index = first + lanes.indexOf(Math.min(...lanes));
    this.busy[index]! += 1;
    const started = Date.now();
    const watchdog = setInterval(() => {
      process.emitWarning(`embedded engine: '${name}' still running after ${Math.round((Date.now() - started) / 1000)} s`, "DrumbeatSlowOperation");
    }, SLOW_OPERATION_MS).unref();
    try {
      return await run(this.sessions[index]!);
    } finally {
      clearInterval(watchdog);
      this.busy[index]! -= 1;
    }
  }

  /** chdb binds a data directory to one process, so every write to it passes here. */
  get ownWrites(): number {
    return this.writes;
  }

  /** Runs a write, counted once it has finished (or failed, maybe part-way). */
  private async write(name: string, run: (session: Session) => Promise<unknown>): Promise<void> {
    try {
      await this.withSession(name, run, true);
    } finally {
      this.writes += 1;
    }
  }

  query<T>(spec: QuerySpec<T>): Promise<T[]> {
    return traced(spec.name, spec.sql, this.backend, async () => {
      if (spec.waitForIngest !== false) await this.ingestLoaded?.();
      const result = await this.withSession(spec.name, (session) => session.queryBindAsync(spec.sql, spec.params ?? {}, { format: "JSONEachRow" }));
      return parseRows(result.text(), spec.rows);
    });
  }

  command(name: string, sql: string, params: QueryParams = {}): Promise<void> {
    return traced(name, sql, this.backend, async () => {
      await this.write(name, (session) => session.queryBindAsync(sql, params));
    });
  }

  insert(table: string, rows: readonly object[]): Promise<void> {
    return rows.length === 0 ? Promise.resolve() : this.insertJsonEachRow(table, toJsonEachRow(rows));
  }

  insertJsonEachRow(table: string, body: string): Promise<void> {
    return traced(`insert ${table}`, `INSERT INTO ${table} FORMAT JSONEachRow`, this.backend, async () => {
      await this.write(`insert ${table}`, (session) => session.insert({ table, values: Buffer.from(body), format: "JSONEachRow" }));
    });
  }

  async ping(): Promise<void> {
    await this.withSession("ping", (session) => session.queryAsync("SELECT 1"));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const session of this.sessions) session.close();
    // close() may return while the engine still finishes an operation; wait so the data
    // directory is really free for the next store.
    await drainPending();
    openStore = undefined;
  }
}
