import { mkdirSync, accessSync, constants } from "node:fs";
import { totalmem } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";

const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a plain identifier (letters, digits, _)");

/**
 * Why the embedded engine cannot use `path` (created if missing), or undefined when it can.
 * Checked up front: the engine itself fails with EEXIST or spins on a path it cannot use.
 */
function dataDirProblem(path: string): string | undefined {
  try {
    mkdirSync(resolve(path), { recursive: true });
    accessSync(resolve(path), constants.R_OK | constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === "EEXIST" ? "it is a file, not a directory" : code === "ENOTDIR" ? "a part of it is a file" : message;
    return `cannot hold the embedded store (DRUMBEAT_DATA_DIR=${path}): ${why}`;
  }
}

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
  /** Longest a statement may run (ClickHouse max_execution_time); the first full DORA facts build at 10M deployments takes about 2 minutes. */
  queryTimeoutSeconds: z.coerce.number().positive().max(86_400).default(300),
  /** Most memory one statement may take (max_memory_usage): half this machine's memory unless set, so an embedded query cannot take the process down. */
  queryMaxMemoryBytes: z.coerce.number().int().min(10_000_000).default(() => Math.floor(totalmem() / 2)),
}).superRefine((config, context) => {
  const problem = config.url ? undefined : dataDirProblem(config.dataDir);
  if (problem) context.addIssue({ code: "custom", path: ["dataDir"], message: problem });
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
    queryTimeoutSeconds: env.DRUMBEAT_QUERY_TIMEOUT_SECONDS || undefined,
    queryMaxMemoryBytes: env.DRUMBEAT_QUERY_MAX_MEMORY_BYTES || undefined,
  };
}

/**
 * The ceilings every statement runs under, on both backends: past them ClickHouse ends
 * the statement (TIMEOUT_EXCEEDED, MEMORY_LIMIT_EXCEEDED), a StoreError of kind `resource`
 * that the API answers with 503, instead of running on or taking the process down.
 */
export function limitSettings(config: ResolvedStoreConfig) {
  return { max_execution_time: config.queryTimeoutSeconds, max_memory_usage: String(config.queryMaxMemoryBytes) };
}
