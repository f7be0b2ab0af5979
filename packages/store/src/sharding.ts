import type { Store } from "./store.ts";

/**
 * How every `events`-derived row is spread over a cluster's shards: all of a service's rows
 * live on one shard, so the per-service rules join rows of one shard (docs/scaling.md).
 */
export const SHARDING_KEY = "cityHash64(service)";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `OPTIMIZE … FINAL` of a sharded table (one created with `{{sharded:…}}`): a Distributed
 * table cannot be optimized, so on a cluster every shard's replicas merge their own table.
 */
export function optimizeShardedStatement(table: string, cluster: string | undefined): string {
  if (!IDENTIFIER.test(table)) throw new Error(`not a table name: ${table}`);
  return cluster ? `OPTIMIZE TABLE ${table}_local ON CLUSTER ${cluster} FINAL` : `OPTIMIZE TABLE ${table} FINAL`;
}

/** Merges a sharded table's parts as if its rows had been written at once. */
export function optimizeSharded(store: Store, name: string, table: string): Promise<void> {
  return store.command(name, optimizeShardedStatement(table, store.cluster));
}
