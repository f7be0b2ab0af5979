import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Store } from "@drumbeat/store";
import { openTestStore } from "../../store/test/helpers.ts";
import { CollectorImporter, metricSeries, type MetricPointRow } from "../src/index.ts";

const COLLECTOR_DB = `collector_${process.pid}`;
const NOW_MS = Date.parse("2026-11-20T12:00:00Z");
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const text = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");
const resource = { "service.name": "checkout", "service.version": "7", "deployment.environment.name": "production" };

/** Rows as the Collector's ClickHouse exporter writes them. */
const sumRow = (ms: number, value: number) => ({
  ResourceAttributes: resource, ServiceName: "checkout", MetricName: "http.server.requests", MetricUnit: "1", Attributes: { route: "/pay" },
  StartTimeUnix: text(NOW_MS - 3_600_000), TimeUnix: text(ms), Value: value, AggregationTemporality: 2, IsMonotonic: true,
});
const histogramRow = (ms: number) => ({
  ResourceAttributes: resource, ServiceName: "checkout", MetricName: "latency", MetricUnit: "ms", Attributes: {},
  StartTimeUnix: text(ms - 60_000), TimeUnix: text(ms), Count: 10, Sum: 100, BucketCounts: [0, 10, 0], ExplicitBounds: [5, 15], AggregationTemporality: 1,
});

describe("reading a Collector's tables (DRUMBEAT_METRICS_DATABASE)", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  before(async () => {
    ({ store, dispose } = await openTestStore("collector"));
    await store.command("test.db", `CREATE DATABASE IF NOT EXISTS ${COLLECTOR_DB}`);
    for (const table of ["otel_metrics_gauge", "otel_metrics_sum", "otel_metrics_histogram", "otel_metrics_exponential_histogram"]) {
      await store.command("test.table", `CREATE TABLE ${COLLECTOR_DB}.${table} AS ${table}`);
    }
  });
  after(async () => {
    await store.command("test.drop", `DROP DATABASE IF EXISTS ${COLLECTOR_DB}`);
    await dispose();
  });

  const series = (metric: string) => metricSeries(store, {
    service: "checkout", environment: "production", metric, from: new Date(NOW_MS - 3_600_000).toISOString(), to: new Date(NOW_MS).toISOString(), step: 60,
  });

  it("reads new rows through the OTLP mapping, once, and leaves rows still settling for later", async () => {
    // a cumulative counter read every minute: +120 per minute is 2/s
    await store.insert(`${COLLECTOR_DB}.otel_metrics_sum`, [sumRow(NOW_MS - 600_000, 1000), sumRow(NOW_MS - 540_000, 1120), sumRow(NOW_MS - 10_000, 5000)]);
    await store.insert(`${COLLECTOR_DB}.otel_metrics_histogram`, [histogramRow(NOW_MS - 300_000)]);
    const noted: MetricPointRow[] = [];
    const importer = new CollectorImporter(store, COLLECTOR_DB, (points) => noted.push(...points));
    const written = await importer.pass(ns(NOW_MS));
    // the counter's two settled rows, and the histogram's count, sum and three quantiles
    assert.equal(written, 7);
    assert.ok(noted.every((p) => p.service === "checkout" && p.version === "7"));
    const requests = await series("http.server.requests");
    assert.deepEqual(requests.map((p) => [p.at, +p.value.toFixed(6)]), [
      [new Date(NOW_MS - 600_000).toISOString(), +(1000 / 3000).toFixed(6)],
      [new Date(NOW_MS - 540_000).toISOString(), 2],
    ]);
    const p50 = await series("latency.p50");
    assert.equal(p50[0]!.value, 10);

    assert.equal(await importer.pass(ns(NOW_MS)), 0, "a second pass reads nothing again");
    // 40 s later the row 10 s before the first pass has settled: (5000 - 1120) over 530 s
    assert.equal(await importer.pass(ns(NOW_MS + 40_000)), 1);
  });
});
