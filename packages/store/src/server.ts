import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from "@clickhouse/client";
import { limitSettings, type ResolvedStoreConfig } from "./config.ts";
import { SESSION_SETTINGS } from "./embedded.ts";
import type { QuerySpec, QueryParams, Store } from "./store.ts";
import { parseRows, toJsonEachRow } from "./rows.ts";
import { traced } from "./tracing.ts";

/**
 * On a sharded cluster (docs/scaling.md): an insert into a Distributed table is answered
 * once the shards have written it, so an acknowledged event is durable; a query that
 * names services reads only the shards holding them; and an IN subquery over a sharded
 * table is computed once and sent to every shard (GLOBAL IN), which is how an incident on
 * one shard finds the deployment of another service it names.
 */
const CLUSTER_SETTINGS = { distributed_foreground_insert: 1, optimize_skip_unused_shards: 1, distributed_product_mode: "global" } as const;

/** A ClickHouse server (or cluster) over HTTP through @clickhouse/client. */
export class ServerStore implements Store {
  readonly backend = "server" as const;
  readonly database: string;
  readonly cluster: string | undefined;
  /** Other processes (API replicas, the CLI) write to the same server. */
  readonly ownWrites = undefined;
  ingestLoaded?: () => Promise<void>;

  private constructor(private readonly client: ClickHouseClient, config: ResolvedStoreConfig) {
    this.database = config.database;
    this.cluster = config.cluster;
  }

  static async open(config: ResolvedStoreConfig): Promise<ServerStore> {
    const common = {
      url: config.url,
      username: config.user,
      password: config.password,
      clickhouse_settings: { ...SESSION_SETTINGS, ...(config.cluster ? CLUSTER_SETTINGS : {}), ...limitSettings(config) },
      // Failures reach the caller as StoreErrors (and our spans and logs); the client's own
      // multi-line stderr report of each one would only repeat them outside the JSON logs.
      log: { level: ClickHouseLogLevel.OFF },
    };
    // The database may not exist yet: create it through a connection to `default`.
    const bootstrap = createClient({ ...common, database: "default" });
    try {
      const onCluster = config.cluster ? ` ON CLUSTER ${config.cluster}` : "";
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${config.database}${onCluster}` });
    } finally {
      await bootstrap.close();
    }
    return new ServerStore(createClient({ ...common, database: config.database }), config);
  }

  query<T>(spec: QuerySpec<T>): Promise<T[]> {
    return traced(spec.name, spec.sql, this.backend, async () => {
      if (spec.waitForIngest !== false) await this.ingestLoaded?.();
      const result = await this.client.query({
        query: spec.sql,
        query_params: spec.params,
        format: "JSONEachRow",
        clickhouse_settings: { log_comment: spec.name },
      });
      return parseRows(await result.text(), spec.rows);
    });
  }

  command(name: string, sql: string, params?: QueryParams): Promise<void> {
    return traced(name, sql, this.backend, async () => {
      await this.client.command({ query: sql, query_params: params, clickhouse_settings: { log_comment: name } });
    });
  }

  insert(table: string, rows: readonly object[]): Promise<void> {
    return rows.length === 0 ? Promise.resolve() : this.insertJsonEachRow(table, toJsonEachRow(rows));
  }

  insertJsonEachRow(table: string, body: string): Promise<void> {
    return traced(`insert ${table}`, `INSERT INTO ${table} FORMAT JSONEachRow`, this.backend, async () => {
      // The rows travel as the request's body, as the client's own insert sends them.
      // Synchronous whatever the server profile says: the writer's commit protocol needs
      // each insert on disk when it returns (docs/ingest.md, "no asynchronous inserts").
      const { stream } = await this.client.exec({
        query: `INSERT INTO ${table} FORMAT JSONEachRow`,
        values: Readable.from([body]),
        clickhouse_settings: { async_insert: 0 },
      });
      stream.resume();
      await finished(stream);
    });
  }

  async ping(): Promise<void> {
    const result = await this.client.ping();
    if (!result.success) throw result.error;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
