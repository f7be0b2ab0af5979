import { z } from "zod";

const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a plain identifier (letters, digits, _)");

/** Where ClickHouse is: the embedded engine in a data directory, or a server over HTTP. */
export const StoreConfig = z.object({
  /** Embedded engine (chdb): the data directory. Ignored when `url` is set. */
  dataDir: z.string().min(1).default("./.drumbeat/data"),
  /** ClickHouse server over HTTP, e.g. http://localhost:8123. */
  url: z.url().optional(),
  user: z.string().default("default"),
  password: z.string().default(""),
  database: Identifier.default("drumbeat"),
  /** Cluster name for ON CLUSTER DDL and Replicated engines (server only). */
  cluster: Identifier.optional(),
});
export type StoreConfig = z.input<typeof StoreConfig>;
export type ResolvedStoreConfig = z.output<typeof StoreConfig>;

/** Reads the store's settings from the environment (see the README's configuration table). */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  return {
    dataDir: env.DRUMBEAT_DATA_DIR || undefined,
    url: env.CLICKHOUSE_URL || undefined,
    user: env.CLICKHOUSE_USER || undefined,
    password: env.CLICKHOUSE_PASSWORD || undefined,
    database: env.CLICKHOUSE_DATABASE || undefined,
    cluster: env.CLICKHOUSE_CLUSTER || undefined,
  };
}
