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

/** Hashes are looked up in chunks so a large pass never becomes one enormous parameter. */
const LOOKUP_CHUNK = 5_000;

/** Batches whose marker is written: every row of theirs is stored. */
async function writtenBatches(store: Store, hashes: string[]): Promise<Set<string>> {
  const written = new Set<string>();
  for (let i = 0; i < hashes.length; i += LOOKUP_CHUNK) {
    const rows = await store.query({
      name: "metrics.writtenBatches",
      sql: "SELECT DISTINCT batch_hash FROM metric_batches WHERE batch_hash IN {hashes:Array(String)}",
      params: { hashes: hashes.slice(i, i + LOOKUP_CHUNK) },
      rows: z.object({ batch_hash: z.string() }),
      waitForIngest: false, // metric batches never go through the events' ingest log
    });
    for (const row of rows) written.add(row.batch_hash);
  }
  return written;
}

/**
 * Writes the metric requests of one pass of the shared writer: one lookup of their batch
 * hashes, then each table's rows of every new request in one insert (the raw tables side
 * by side, then `metric_points`, which the views roll up), and the batch markers last. A
 * request already written, or earlier in the pass (a concurrent retry), is not written
 * again: its result is false. Passes run one at a time, so each sees the markers of the
 * one before.
 */
export async function flushMetrics(store: Store, writes: readonly MetricWrite[]): Promise<boolean[]> {
  const seen = await writtenBatches(store, [...new Set(writes.map((write) => write.batchHash))]);
  const fresh: MetricWrite[] = [];
  const results = writes.map((write) => {
    if (seen.has(write.batchHash)) return false;
    seen.add(write.batchHash);
    fresh.push(write);
    return true;
  });
  if (fresh.length === 0) return results;
  const inserts = [
    ...RAW_METRIC_TABLES.map((table) => [table, fresh.flatMap((write) => write.raw[table])] as const),
    ["metric_points", fresh.flatMap((write) => write.points)] as const,
  ].filter(([, rows]) => rows.length > 0);
  // Settled, not Promise.all: a failed pass returns only once none of its inserts is still running.
  const outcomes = await Promise.allSettled(inserts.map(([table, rows]) => store.insert(table, rows)));
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  const receivedAt = new Date().toISOString();
  await store.insert("metric_batches", fresh.map((write) => ({ batch_hash: write.batchHash, received_at: receivedAt, points: write.points.length })));
  return results;
}
