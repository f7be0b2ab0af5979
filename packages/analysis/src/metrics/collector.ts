import { writerOf, type Store } from "@drumbeat/store";
import { mapOtlpMetrics } from "./otlp.ts";
import type { MetricPointRow } from "./schemas.ts";
import { COLLECTOR_TABLES, collectorRows, importWatermarks, saveWatermark, type CollectorRow, type CollectorTable } from "./sql/collector.ts";
import { CumulativeTracker } from "./streams.ts";

/** Rows newer than this may still be on their way from a Collector's batches. */
const SETTLE_NS = 30_000_000_000n;
/** Each read covers at most this much time, bounding its memory. */
const SLICE_NS = 600_000_000_000n;

const asAttributes = (map: Record<string, string>) => Object.entries(map).map(([key, value]) => ({ key, value: { stringValue: value } }));

/** A Collector row as the OTLP data point it was written from. */
function asMetric(table: CollectorTable, row: CollectorRow) {
  const point = { attributes: asAttributes(row.attributes), startTimeUnixNano: row.startNs, timeUnixNano: row.timeNs };
  const base = { name: row.metric, unit: row.unit };
  switch (table) {
    case "otel_metrics_gauge":
      return { ...base, gauge: { dataPoints: [{ ...point, asDouble: row.value }] } };
    case "otel_metrics_sum":
      return { ...base, sum: { aggregationTemporality: row.temporality, isMonotonic: Boolean(row.monotonic), dataPoints: [{ ...point, asDouble: row.value }] } };
    case "otel_metrics_histogram":
      return { ...base, histogram: { aggregationTemporality: row.temporality, dataPoints: [{
        ...point, count: row.count, sum: row.sum, bucketCounts: row.bucketCounts, explicitBounds: row.explicitBounds, min: row.min, max: row.max,
      }] } };
    case "otel_metrics_exponential_histogram":
      return { ...base, exponentialHistogram: { aggregationTemporality: row.temporality, dataPoints: [{
        ...point, count: row.count, sum: row.sum, scale: row.scale, zeroCount: row.zeroCount, min: row.min, max: row.max,
        positive: { offset: row.positiveOffset, bucketCounts: row.positiveCounts }, negative: { offset: row.negativeOffset, bucketCounts: row.negativeCounts },
      }] } };
  }
}

/**
 * Reads what an OpenTelemetry Collector's ClickHouse exporter writes into another
 * database (DRUMBEAT_METRICS_DATABASE) into Drumbeat's per-minute rollups, so its
 * metrics need not be sent twice. Each pass reads every table from its watermark up to
 * 30 s ago, in time order, through the same mapping as OTLP requests. Rows that arrive
 * with a time older than the watermark are not read.
 */
export class CollectorImporter {
  private readonly tracker = new CumulativeTracker();
  private busy = false;

  constructor(
    private readonly store: Store,
    private readonly database: string,
    private readonly onPoints: (points: MetricPointRow[]) => void = () => {},
  ) {}

  /** One pass over the four tables; returns how many points it wrote (0 when a pass is already running). */
  async pass(nowNs = BigInt(Date.now()) * 1_000_000n): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    try {
      return await this.readAll(nowNs);
    } finally {
      this.busy = false;
    }
  }

  private async readAll(nowNs: bigint): Promise<number> {
    const watermarks = await importWatermarks(this.store);
    const upTo = nowNs - SETTLE_NS;
    let written = 0;
    for (const table of Object.keys(COLLECTOR_TABLES) as CollectorTable[]) {
      // a first pass starts a day back rather than at the beginning of time
      let after = BigInt(watermarks.get(table) ?? String(upTo - 86_400_000_000_000n));
      while (after < upTo) {
        const until = after + SLICE_NS < upTo ? after + SLICE_NS : upTo;
        const rows = await collectorRows(this.store, this.database, table, String(after), String(until));
        const points = rows.flatMap((row) => mapOtlpMetrics({
          resourceMetrics: [{ resource: { attributes: asAttributes(row.resource) }, scopeMetrics: [{ metrics: [asMetric(table, row)] }] }],
        }, this.tracker).points);
        if (points.length > 0) {
          await writerOf(this.store).insert("metric_points", points);
          this.onPoints(points);
        }
        written += points.length;
        // saved after each slice that wrote, and at the end: a crash re-reads at most a slice
        if (points.length > 0 || until === upTo) await saveWatermark(this.store, table, String(until));
        after = until;
      }
    }
    return written;
  }
}
