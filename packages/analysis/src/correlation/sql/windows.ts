import { z } from "zod";
import { dateTimeParam, type Store } from "@drumbeat/store";
import { MINUTE_MEAN_PER_STREAM, MINUTE_VALUE } from "../../metrics/sql/reads.ts";

/** `received`: when the minute last got points, so a stored impact knows it is stale. */
export const MinuteValue = z.object({ metric: z.string(), minute: z.string(), value: z.number(), received: z.string() });
export type MinuteValue = z.infer<typeof MinuteValue>;

interface Range {
  environment: string;
  service: string;
  from: string;
  to: string;
}

/** Every metric's per-minute value of a service over [from, to), all versions together. */
export async function minuteValues(store: Store, range: Range): Promise<MinuteValue[]> {
  return store.query({
    name: "correlation.minuteValues",
    sql: `SELECT metric, minute, ${MINUTE_VALUE} AS value, max(received) AS received
      FROM metric_rollup_1m
      WHERE environment = {environment:String} AND service = {service:String}
        AND minute >= {from:DateTime64(3, 'UTC')} AND minute < {to:DateTime64(3, 'UTC')}
      GROUP BY metric, minute
      HAVING isFinite(value)`,
    params: { ...range, from: dateTimeParam(range.from), to: dateTimeParam(range.to) },
    rows: MinuteValue,
  });
}

export const VersionMinuteValue = MinuteValue.extend({ candidate: z.number().transform((flag) => flag === 1) });
export type VersionMinuteValue = z.output<typeof VersionMinuteValue>;

/**
 * Per-minute values of one version (the canary) and of every other version (the
 * baseline) over the same minutes, as the mean per stream: a canary with a tenth of the
 * traffic must not look like a throughput drop.
 */
export async function versionMinuteValues(store: Store, range: Range & { version: string }): Promise<VersionMinuteValue[]> {
  return store.query({
    name: "correlation.versionMinuteValues",
    sql: `SELECT metric, minute, version = {version:String} AS candidate, ${MINUTE_MEAN_PER_STREAM} AS value, max(received) AS received
      FROM metric_rollup_1m
      WHERE environment = {environment:String} AND service = {service:String}
        AND minute >= {from:DateTime64(3, 'UTC')} AND minute < {to:DateTime64(3, 'UTC')}
      GROUP BY metric, minute, candidate
      HAVING isFinite(value)`,
    params: { ...range, from: dateTimeParam(range.from), to: dateTimeParam(range.to) },
    rows: VersionMinuteValue,
  });
}
