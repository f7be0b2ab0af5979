import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CumulativeTracker, bucketQuantile, explicitBuckets, exponentialBuckets, mapOtlpMetrics } from "../src/index.ts";

const S = 1_000_000_000n;
const T0 = BigInt(Date.parse("2026-11-20T10:00:00Z")) * 1_000_000n;
const resource = { attributes: [
  { key: "service.name", value: { stringValue: "checkout" } },
  { key: "service.version", value: { stringValue: "1.2.3" } },
  { key: "deployment.environment.name", value: { stringValue: "production" } },
] };
const request = (metric: object) => ({ resourceMetrics: [{ resource, scopeMetrics: [{ scope: { name: "s" }, metrics: [metric] }] }] });
const sumPoint = (start: bigint, time: bigint, value: number) => ({ startTimeUnixNano: String(start), timeUnixNano: String(time), asDouble: value });

describe("OTLP points as Drumbeat reads them", () => {
  it("a cumulative counter becomes a rate between readings, from its start after a reset", () => {
    const tracker = new CumulativeTracker();
    const values = (points: object[]) => mapOtlpMetrics(request({ name: "requests", unit: "{request}", sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points } }), tracker).points.map((p) => p.value);
    // 60 since a start 60 s before: 1/s; then +120 in 60 s: 2/s
    assert.deepEqual(values([sumPoint(T0, T0 + 60n * S, 60)]), [1]);
    assert.deepEqual(values([sumPoint(T0, T0 + 120n * S, 180)]), [2]);
    // the process restarted: a new start time, counted from it (30 in 10 s)
    assert.deepEqual(values([sumPoint(T0 + 170n * S, T0 + 180n * S, 30)]), [3]);
    // a lower value with the same start is a reset too: measured from its start
    assert.deepEqual(values([sumPoint(T0 + 170n * S, T0 + 230n * S, 6)]), [0.1]);
    // a late reading does not move the stream back: measured from its start
    assert.deepEqual(values([sumPoint(T0 + 170n * S, T0 + 200n * S, 15)]), [0.5]);
  });

  it("a delta counter is its value over its own interval; an up-down counter is a level", () => {
    const tracker = new CumulativeTracker();
    const delta = mapOtlpMetrics(request({ name: "errors", sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [sumPoint(T0, T0 + 10n * S, 5)] } }), tracker);
    assert.deepEqual(delta.points.map((p) => [p.metric, p.kind, p.unit, p.value, p.version, p.at]), [["errors", "rate", "1/s", 0.5, "1.2.3", "2026-11-20 10:00:10.000"]]);
    assert.equal(delta.raw.otel_metrics_sum.length, 1);
    const level = mapOtlpMetrics(request({ name: "inflight", sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [sumPoint(T0, T0 + 10n * S, -3)] } }), tracker);
    assert.deepEqual(level.points.map((p) => [p.kind, p.value]), [["gauge", -3]]);
  });

  it("a cumulative histogram's quantiles describe the interval, not the whole series", () => {
    const tracker = new CumulativeTracker();
    const histogram = (time: bigint, counts: number[]) => request({ name: "latency", unit: "ms", histogram: { aggregationTemporality: 2, dataPoints: [{
      startTimeUnixNano: String(T0), timeUnixNano: String(time), count: String(counts.reduce((a, b) => a + b)), sum: 0, bucketCounts: counts.map(String), explicitBounds: [10, 100, 1000],
    }] } });
    mapOtlpMetrics(histogram(T0 + 60n * S, [100, 0, 0, 0]), tracker);
    // in the second minute every new observation is in (100, 1000]
    const second = mapOtlpMetrics(histogram(T0 + 120n * S, [100, 0, 60, 0]), tracker);
    const byName = Object.fromEntries(second.points.map((p) => [p.metric, p.value]));
    assert.equal(byName["latency.count"], 1);
    assert.ok(byName["latency.p50"]! > 100 && byName["latency.p50"]! <= 1000);
    assert.equal(byName["latency.p50"], 550);
  });

  it("quantiles of explicit and exponential buckets", () => {
    // 10 observations: 2 in (-inf, 1], 6 in (1, 2], 2 in (2, +inf) with max 4
    const buckets = explicitBuckets([1, 2], [2, 6, 2], 0.5, 4);
    assert.equal(bucketQuantile(buckets, 0.5), 1.5);
    assert.equal(bucketQuantile(buckets, 0.1), 0.75);
    assert.equal(bucketQuantile(buckets, 1), 4);
    assert.equal(bucketQuantile(explicitBuckets([1], [0, 0]), 0.5), undefined);
    // scale 0: base 2, index i covers (2^i, 2^(i+1)]; offset 1 -> (2, 4], (4, 8]
    const exp = exponentialBuckets(0, 2, { offset: 1, counts: [4, 4] }, { offset: 0, counts: [] });
    assert.deepEqual(exp.map((b) => [b.lower, b.upper, b.count]), [[0, 0, 2], [2, 4, 4], [4, 8, 4]]);
    assert.equal(bucketQuantile(exp, 0.6), 4);
    assert.equal(bucketQuantile(exp, 0.1), 0);
  });

  it("rejects what it cannot place, with the reasons, and keeps the rest", () => {
    const out = mapOtlpMetrics({ resourceMetrics: [
      { resource: { attributes: [{ key: "service.name", value: { stringValue: "x" } }] }, scopeMetrics: [{ metrics: [{ name: "g", gauge: { dataPoints: [{ timeUnixNano: String(T0), asDouble: 1 }] } }] }] },
      { resource, scopeMetrics: [{ metrics: [
        { name: "s", summary: { dataPoints: [{ timeUnixNano: String(T0) }, { timeUnixNano: String(T0) }] } },
        { name: "g", gauge: { dataPoints: [{ timeUnixNano: String(T0), asInt: "7" }] } },
      ] }] },
    ] }, new CumulativeTracker());
    assert.equal(out.rejected, 3);
    assert.equal(out.reasons.length, 2);
    assert.deepEqual(out.points.map((p) => [p.metric, p.value]), [["g", 7]]);
  });
});
