import { z } from "zod";
import { dateTimeParam, type Store } from "@drumbeat/store";

/**
 * A minute's value from its rollup rows: rates are summed over streams (the mean of each
 * stream's points, times the streams), gauges and quantiles averaged over them.
 */
export const MINUTE_VALUE = "if(any(kind) = 'rate', sum(total) / sum(points) * uniqExactMerge(streams), sum(total) / sum(points))";
/** The mean per stream, for comparing versions that serve different shares of traffic. */
export const MINUTE_MEAN_PER_STREAM = "sum(total) / sum(points)";

export const MetricCatalogEntry = z.object({
  metric: z.string(),
  kind: z.string(),
  unit: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
});

export async function metricCatalog(store: Store, scope: { service: string; environment: string }) {
  return store.query({
    name: "metrics.catalog",
    sql: `SELECT metric, any(kind) AS kind, any(unit) AS unit, min(first_seen) AS firstSeen, max(last_seen) AS lastSeen
      FROM metric_catalog
      WHERE environment = {environment:String} AND service = {service:String}
      GROUP BY metric ORDER BY metric`,
    params: scope,
    rows: MetricCatalogEntry,
  });
}

export const SeriesPoint = z.object({ at: z.string(), value: z.number(), min: z.number(), max: z.number(), minutes: z.number() });

export interface SeriesRequest {
  service: string;
  environment: string;
  metric: string;
  from: string;
  to: string;
  /** Seconds, a multiple of 60. */
  step: number;
  version?: string;
}

/** A chart's series from the per-minute rollup: each step the mean of its minutes' values. */
export async function metricSeries(store: Store, request: SeriesRequest) {
  return store.query({
    name: "metrics.series",
    sql: `SELECT toDateTime64(toStartOfInterval(minute, toIntervalSecond({step:UInt32}), 'UTC'), 3, 'UTC') AS at, avg(value) AS value,
        min(lowest) AS min, max(highest) AS max, count() AS minutes
      FROM (
        SELECT minute, ${MINUTE_VALUE} AS value, min(low) AS lowest, max(high) AS highest
        FROM metric_rollup_1m
        WHERE environment = {environment:String} AND service = {service:String} AND metric = {metric:String}
          AND minute >= toStartOfMinute({from:DateTime64(3, 'UTC')}) AND minute < {to:DateTime64(3, 'UTC')}
          AND ({version:String} = '' OR version = {version:String})
        GROUP BY minute
      )
      GROUP BY at ORDER BY at`,
    params: {
      service: request.service, environment: request.environment, metric: request.metric,
      from: dateTimeParam(request.from), to: dateTimeParam(request.to), step: request.step, version: request.version ?? "",
    },
    rows: SeriesPoint,
  });
}
