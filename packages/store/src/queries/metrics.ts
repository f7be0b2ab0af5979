import { z } from "zod";
import type { Store } from "../store.ts";

/** The Collector-layout tables raw points go to (clickhouse/0040). */
export const RAW_METRIC_TABLES = ["otel_metrics_gauge", "otel_metrics_sum", "otel_metrics_histogram", "otel_metrics_exponential_histogram"] as const;
export type RawMetricTable = (typeof RAW_METRIC_TABLES)[number];

export interface MetricWrite {
  /** Hash of the request's decoded content: the same content is written once. */
  batchHash: string;
  raw: Record<RawMetricTable, readonly object[]>;
  /** `metric_points` rows; the views roll them up per minute. */
  points: readonly object[];
}

async function batchSeen(store: Store, batchHash: string): Promise<boolean> {
  const rows = await store.query({
    name: "metrics.batchSeen",
    sql: "SELECT 1 AS seen FROM metric_batches WHERE batch_hash = {batchHash:String} LIMIT 1",
    params: { batchHash },
    rows: z.object({ seen: z.number() }),
  });
  return rows.length > 0;
}

/**
 * Writes one request's metric points: raw rows, then the derived points (one INSERT that
 * the views roll up), then the batch marker, so a retry of the same content after a
 * success writes nothing. This is the seam where the shared, coalescing ingest writer
 * takes over: it only needs these three inserts. Returns false for a repeated batch.
 */
export async function writeMetrics(store: Store, write: MetricWrite): Promise<boolean> {
  if (await batchSeen(store, write.batchHash)) return false;
  for (const table of RAW_METRIC_TABLES) {
    if (write.raw[table].length > 0) await store.insert(table, write.raw[table]);
  }
  if (write.points.length > 0) await store.insert("metric_points", write.points);
  await store.insert("metric_batches", [{ batch_hash: write.batchHash, received_at: new Date().toISOString(), points: write.points.length }]);
  return true;
}

/**
 * Applies the configured retention to the raw tables (their DDL says 30 days), only to
 * those whose TTL differs: changing a TTL recomputes it over every part.
 */
export async function setMetricsRetention(store: Store, days: number): Promise<void> {
  const tables = await store.query({
    name: "metrics.ttlState",
    sql: `SELECT name FROM system.tables
      WHERE database = currentDatabase() AND name IN {tables:Array(String)}
        AND position(engine_full, concat('toIntervalDay(', toString({days:UInt32}), ')')) = 0`,
    params: { tables: [...RAW_METRIC_TABLES], days },
    rows: z.object({ name: z.enum(RAW_METRIC_TABLES) }),
  });
  for (const { name } of tables) {
    await store.command("metrics.ttl", `ALTER TABLE ${name} MODIFY TTL toDateTime(TimeUnix) + toIntervalDay({days:UInt32})`, { days });
  }
}
