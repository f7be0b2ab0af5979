import { z } from "zod";
import type { Store } from "../store.ts";
import { RAW_METRIC_TABLES, type MetricWrite } from "../ingest/metrics.ts";
import { writerOf } from "../ingest/writer.ts";

export { RAW_METRIC_TABLES, type MetricWrite, type RawMetricTable } from "../ingest/metrics.ts";

/**
 * Writes one request's metric points through the store's shared writer, coalesced with
 * concurrent requests (ingest/metrics.ts): resolves once they are durable, false when the
 * same content was written before (a retry), which is then not written again.
 */
export function writeMetrics(store: Store, write: MetricWrite): Promise<boolean> {
  return writerOf(store).writeMetrics(write);
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
