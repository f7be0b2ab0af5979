import { z } from "zod";

/** How Drumbeat reads a metric: a level (gauge), a per-second rate, or a quantile estimate. */
export const MetricKind = z.enum(["gauge", "rate", "quantile"]);
export type MetricKind = z.infer<typeof MetricKind>;

/** A `metric_points` row: one derived value of one stream at one time. */
export interface MetricPointRow {
  environment: string;
  service: string;
  version: string;
  metric: string;
  kind: MetricKind;
  unit: string;
  /** UInt64 as a decimal string. */
  stream: string;
  /** `YYYY-MM-DD hh:mm:ss.sss`, UTC. */
  at: string;
  value: number;
}

/** Raw rows for the Collector-layout tables, by table. */
export interface RawMetricRows {
  otel_metrics_gauge: object[];
  otel_metrics_sum: object[];
  otel_metrics_histogram: object[];
  otel_metrics_exponential_histogram: object[];
}

export interface MetricBatch {
  raw: RawMetricRows;
  points: MetricPointRow[];
}

/** One point of `POST /api/v1/metrics/points`, for senders without OpenTelemetry. */
export const MetricPointInput = z.strictObject({
  service: z.string().min(1).max(200),
  environment: z.string().min(1).max(200),
  version: z.string().max(200).optional(),
  metric: z.string().min(1).max(300),
  unit: z.string().max(60).optional(),
  at: z.iso.datetime({ offset: true }),
  value: z.number().finite(),
});
export type MetricPointInput = z.infer<typeof MetricPointInput>;
