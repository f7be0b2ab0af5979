import type { ZodType } from "zod";

/** Parameters bound server-side to `{name:Type}` placeholders. */
export type QueryParams = Record<string, unknown>;

export interface QuerySpec<T> {
  /** Names the caller in traces and in ClickHouse's query log (log_comment). */
  name: string;
  sql: string;
  params?: QueryParams;
  /** Validates (and may coerce) every returned row. */
  rows: ZodType<T>;
  /**
   * Every read sees the events acknowledged before it, waiting for the ingest log to load
   * them (`ingestLoaded`); false only for the ingest writer's own lookups, which know the log.
   */
  waitForIngest?: boolean;
}

/**
 * One ClickHouse, embedded or server. Both backends speak the same SQL; values only
 * ever travel as bound parameters. Date-times are UTC whatever the host's zone: bound as
 * `{name:DateTime64(3, 'UTC')}` (dateTimeParam), read with session_timezone UTC, and
 * returned as ISO 8601 strings in UTC; 64-bit integers come back as JSON numbers.
 */
export interface Store {
  readonly backend: "embedded" | "server";
  readonly database: string;
  /** Cluster for ON CLUSTER DDL, when the server is a cluster. */
  readonly cluster: string | undefined;
  /**
   * How many writes (inserts and statements) have finished through this store, when this
   * process is the database's only writer (the embedded engine): an unchanged count then
   * means unchanged data. Undefined when other processes may write (a server).
   */
  readonly ownWrites: number | undefined;
  /**
   * Set by the ingest writer while it acknowledges events from its log before the engine
   * has them (src/ingest/writer.ts): resolves once every event acknowledged so far is loaded.
   */
  ingestLoaded?: () => Promise<void>;
  query<T>(spec: QuerySpec<T>): Promise<T[]>;
  /** Runs a statement that returns no rows (DDL, INSERT ... SELECT). */
  command(name: string, sql: string, params?: QueryParams): Promise<void>;
  /**
   * Inserts rows (JSONEachRow), synchronously: they are stored when this resolves. Not
   * atomic across partitions: an insert cut short may leave some months' rows, which the
   * ingest writer's commit protocol allows for (src/ingest/writer.ts). Events and rows
   * from requests go through that writer, not here.
   */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /** `insert` for rows already encoded, one JSON object per line (JSONEachRow). */
  insertJsonEachRow(table: string, body: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
