import { z } from "zod";
import { doraSummary, doraTimeseries, type Bucket, type DoraFigures } from "@drumbeat/analysis";
import { SCOPE_PAYLOADS, type GrafanaMetric, type MetricQuery } from "./metric.ts";
import { ScopePayload, labelOf } from "./scope.ts";

const DAY_MS = 86_400_000;
const BUCKET_MS: Record<Bucket, number> = { day: DAY_MS, week: 7 * DAY_MS, month: 31 * DAY_MS };
const BUCKETS: Bucket[] = ["day", "week", "month"];

/**
 * The finest DORA bucket no finer than Grafana's interval that keeps the points within
 * maxDataPoints; a day is the finest DORA has (docs/grafana.md).
 */
export function bucketFor(from: Date, to: Date, intervalMs = 0, maxDataPoints = Number.POSITIVE_INFINITY): Bucket {
  const span = to.getTime() - from.getTime();
  return BUCKETS.find((bucket) => BUCKET_MS[bucket] >= intervalMs && Math.ceil(span / BUCKET_MS[bucket]) <= maxDataPoints) ?? "month";
}

/** `auto` follows Grafana's interval; `range` is one value for the whole range, equal to GET /api/v1/dora. */
const Over = z.enum(["auto", "day", "week", "month", "range"]).default("auto");
const DoraSeriesPayload = ScopePayload.extend({ over: Over });
type DoraSeriesPayload = z.infer<typeof DoraSeriesPayload>;

const OVER_PAYLOAD = {
  name: "over",
  label: "Per",
  type: "select" as const,
  width: 16,
  options: [
    { label: "Grafana's interval", value: "auto" },
    { label: "day", value: "day" },
    { label: "week", value: "week" },
    { label: "month", value: "month" },
    { label: "whole range (one value)", value: "range" },
  ],
};

/** A DORA figure as Grafana plots it; null (too small a sample) is a gap, not a zero. */
function doraSeries(value: string, label: string, pick: (figures: DoraFigures) => number | null): GrafanaMetric<DoraSeriesPayload> {
  return {
    value,
    label,
    payloads: [...SCOPE_PAYLOADS, OVER_PAYLOAD],
    payload: DoraSeriesPayload,
    async query({ store, settings, from, to, intervalMs, maxDataPoints, payload }: MetricQuery<DoraSeriesPayload>) {
      const { over, ...filter } = payload;
      const scope = { ...filter, from: from.toISOString(), to: to.toISOString() };
      const target = labelOf(label, filter);
      if (over === "range") {
        const summary = await doraSummary(store, scope, settings);
        const figure = pick(summary);
        return [{ target, datapoints: figure === null ? [] : [[figure, to.getTime()]] }];
      }
      const bucket = over === "auto" ? bucketFor(from, to, intervalMs, maxDataPoints) : over;
      const series = await doraTimeseries(store, scope, bucket, settings);
      const datapoints = series.points.flatMap((point): [number, number][] => {
        const figure = pick(point);
        return figure === null ? [] : [[figure, Date.parse(point.start)]];
      });
      return [{ target, datapoints }];
    },
  };
}

/** The DORA keys and the counts behind them (docs/dora.md has every rule). */
export const DORA_SERIES: GrafanaMetric[] = [
  doraSeries("dora.deployments", "Deployments", (f) => f.deploymentFrequency.count),
  doraSeries("dora.deployments_per_day", "Deployments per day", (f) => f.deploymentFrequency.perDay),
  doraSeries("dora.rollbacks", "Rollbacks", (f) => f.deploymentFrequency.rollbacks),
  doraSeries("dora.lead_time_median_seconds", "Lead time, median (s)", (f) => f.leadTime.medianSeconds),
  doraSeries("dora.lead_time_p90_seconds", "Lead time, p90 (s)", (f) => f.leadTime.p90Seconds),
  doraSeries("dora.change_failure_rate", "Change failure rate", (f) => f.changeFailureRate.rate),
  doraSeries("dora.failed_deployments", "Failed deployments", (f) => f.changeFailureRate.failed),
  doraSeries("dora.recovery_time_median_seconds", "Recovery time, median (s)", (f) => f.recoveryTime.medianSeconds),
  doraSeries("dora.recovery_time_p90_seconds", "Recovery time, p90 (s)", (f) => f.recoveryTime.p90Seconds),
  doraSeries("dora.rework_rate", "Rework rate", (f) => f.reworkRate.rate),
];
