import { z } from "zod";
import type { Store } from "@drumbeat/store";

/** The four Collector tables, with what each row adds to the shared columns. */
export const COLLECTOR_TABLES = {
  otel_metrics_gauge: "Value AS value",
  otel_metrics_sum: "Value AS value, AggregationTemporality AS temporality, IsMonotonic AS monotonic",
  otel_metrics_histogram: "toString(Count) AS count, Sum AS sum, arrayMap(c -> toString(c), BucketCounts) AS bucketCounts, ExplicitBounds AS explicitBounds, Min AS min, Max AS max, AggregationTemporality AS temporality",
  otel_metrics_exponential_histogram: `toString(Count) AS count, Sum AS sum, Scale AS scale, toString(ZeroCount) AS zeroCount,
    PositiveOffset AS positiveOffset, arrayMap(c -> toString(c), PositiveBucketCounts) AS positiveCounts,
    NegativeOffset AS negativeOffset, arrayMap(c -> toString(c), NegativeBucketCounts) AS negativeCounts,
    Min AS min, Max AS max, AggregationTemporality AS temporality`,
} as const;
export type CollectorTable = keyof typeof COLLECTOR_TABLES;

export const CollectorRow = z.object({
  resource: z.record(z.string(), z.string()),
  metric: z.string(),
  unit: z.string(),
  attributes: z.record(z.string(), z.string()),
  startNs: z.string(),
  timeNs: z.string(),
  value: z.number().optional(),
  temporality: z.number().optional(),
  monotonic: z.union([z.boolean(), z.number()]).optional(),
  count: z.string().optional(),
  sum: z.number().optional(),
  bucketCounts: z.array(z.string()).optional(),
  explicitBounds: z.array(z.number()).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  scale: z.number().optional(),
  zeroCount: z.string().optional(),
  positiveOffset: z.number().optional(),
  positiveCounts: z.array(z.string()).optional(),
  negativeOffset: z.number().optional(),
  negativeCounts: z.array(z.string()).optional(),
});
export type CollectorRow = z.infer<typeof CollectorRow>;

/** A Collector table's rows with TimeUnix in (after, upTo], in time order (nanoseconds as decimal strings). */
export async function collectorRows(store: Store, database: string, table: CollectorTable, after: string, upTo: string): Promise<CollectorRow[]> {
  return store.query({
    name: `metrics.collector.${table}`,
    // the database and table are identifiers bound as parameters, never pasted
    sql: `SELECT CAST(ResourceAttributes, 'Map(String, String)') AS resource, MetricName AS metric, MetricUnit AS unit,
        CAST(Attributes, 'Map(String, String)') AS attributes,
        toString(toUnixTimestamp64Nano(StartTimeUnix)) AS startNs, toString(toUnixTimestamp64Nano(TimeUnix)) AS timeNs,
        ${COLLECTOR_TABLES[table]}
      FROM {database:Identifier}.{table:Identifier}
      WHERE toUnixTimestamp64Nano(TimeUnix) > toInt64({after:String}) AND toUnixTimestamp64Nano(TimeUnix) <= toInt64({upTo:String})
      ORDER BY TimeUnix`,
    params: { database, table, after, upTo },
    rows: CollectorRow,
  });
}

export async function importWatermarks(store: Store): Promise<Map<string, string>> {
  const rows = await store.query({
    name: "metrics.collector.watermarks",
    sql: "SELECT source_table AS table, toString(toUnixTimestamp64Nano(argMax(watermark, updated_at))) AS watermark FROM metric_imports GROUP BY source_table",
    rows: z.object({ table: z.string(), watermark: z.string() }),
  });
  return new Map(rows.map((row) => [row.table, row.watermark]));
}

export async function saveWatermark(store: Store, table: CollectorTable, watermarkNs: string) {
  const ns = BigInt(watermarkNs);
  const text = `${new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19).replace("T", " ")}.${String(ns % 1_000_000_000n).padStart(9, "0")}`;
  await store.insert("metric_imports", [{ source_table: table, watermark: text, updated_at: new Date().toISOString().replace("T", " ").replace("Z", "") }]);
}
