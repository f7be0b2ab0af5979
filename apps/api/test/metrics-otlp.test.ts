import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { OTLPMetricExporter as HttpJsonExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtoExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AggregationType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics";
import { startTestApi, type TestApi } from "./helpers.ts";

function provider(exporter: PushMetricExporter, service: string, version: string) {
  return new MeterProvider({
    resource: resourceFromAttributes({ "service.name": service, "service.version": version, "deployment.environment.name": "production" }),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
    views: [{ instrumentName: "rpc.exp.duration", aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
}

/**
 * Records, exports, waits, records more, exports again: two points per instrument.
 * Returns the longest the two exports can be apart, in seconds (at least the 1.1 s wait).
 */
async function exportTwice(meters: MeterProvider): Promise<number> {
  const meter = meters.getMeter("checkout-test");
  const requests = meter.createCounter("http.server.requests", { unit: "{request}" });
  const duration = meter.createHistogram("http.server.request.duration", { unit: "s", advice: { explicitBucketBoundaries: [0.1, 0.2, 0.5, 1] } });
  const exp = meter.createHistogram("rpc.exp.duration", { unit: "ms" });
  let queue = 7;
  meter.createObservableGauge("queue.depth").addCallback((result) => result.observe(queue));
  requests.add(10, { route: "/pay" });
  for (const v of [0.05, 0.15, 0.15, 0.3, 0.7]) duration.record(v, { route: "/pay" });
  for (const v of [1, 2, 4, 8, 16, 32]) exp.record(v);
  const firstFlushStarted = performance.now();
  await meters.forceFlush();
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  requests.add(30, { route: "/pay" });
  queue = 9;
  await meters.forceFlush();
  open.push(meters); // shut down after the checks: shutting down exports once more
  return (performance.now() - firstFlushStarted) / 1000;
}
const open: MeterProvider[] = [];

const minute = (offset: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + offset * 60_000).toISOString();

describe("OTLP/HTTP metrics receiver with the real OpenTelemetry SDK", () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi("otlp");
  });
  after(async () => {
    for (const meters of open) await meters.shutdown();
    await api?.dispose();
  });

  it("takes the otlp-http (JSON) exporter's export and serves it back as series", async () => {
    const longestGap = await exportTwice(provider(new HttpJsonExporter({ url: `${api.url}/v1/metrics` }), "checkout", "1.0.0"));
    const catalog = await api.call("/api/v1/metrics?service=checkout&environment=production");
    assert.equal(catalog.status, 200);
    const kinds = Object.fromEntries(catalog.body.metrics.map((m: any) => [m.metric, `${m.kind} ${m.unit}`]));
    assert.deepEqual(kinds, {
      "http.server.requests": "rate {request}/s",
      "http.server.request.duration.count": "rate 1/s",
      "http.server.request.duration.sum": "rate s/s",
      "http.server.request.duration.p50": "quantile s",
      "http.server.request.duration.p95": "quantile s",
      "http.server.request.duration.p99": "quantile s",
      "queue.depth": "gauge ",
      "rpc.exp.duration.count": "rate 1/s",
      "rpc.exp.duration.sum": "rate ms/s",
      "rpc.exp.duration.p50": "quantile ms",
      "rpc.exp.duration.p95": "quantile ms",
      "rpc.exp.duration.p99": "quantile ms",
    });
    // each with the group and direction its name's rule gives (what a dashboard picks a default chart by)
    const classes = Object.fromEntries(catalog.body.metrics.map((m: any) => [m.metric, `${m.group} ${m.direction}`]));
    assert.equal(classes["http.server.requests"], "throughput down_is_bad");
    assert.equal(classes["http.server.request.duration.p95"], "latency up_is_bad");
    assert.equal(classes["queue.depth"], "other up_is_bad");
    const series = async (metric: string) => {
      const answer = await api.call(`/api/v1/metrics/series?service=checkout&environment=production&metric=${metric}&from=${minute(-5)}&to=${minute(5)}&step=600`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.points.length, 1, `${metric}: ${JSON.stringify(answer.body)}`);
      return answer.body.points[0];
    };
    const gauge = await series("queue.depth");
    assert.equal(gauge.min, 7);
    assert.equal(gauge.max, 9);
    // the second cumulative point is 40, 1.1 s to longestGap after the first: its increase, 30, over that interval
    // (the first point, 10 since the instrument's start a moment earlier, is a far higher rate)
    const rate = await series("http.server.requests");
    assert.ok(rate.min >= 30 / longestGap && rate.min <= 30 / 1.1, `rate after the second export: ${rate.min}, longest gap ${longestGap} s`);
    // delta p50 of {0.05, 0.15, 0.15, 0.3, 0.7}: rank 2.5 falls in (0.1, 0.2]
    const p50 = await series("http.server.request.duration.p50");
    assert.ok(p50.min > 0.1 && p50.max <= 0.2, `p50 ${p50.min}`);
    const expP50 = await series("rpc.exp.duration.p50");
    assert.ok(expP50.min >= 2 && expP50.min <= 8, `exponential p50 ${expP50.min}`);
  });

  it("takes the otlp-proto exporter's gzip export, and tells versions apart", async () => {
    await exportTwice(provider(new ProtoExporter({ url: `${api.url}/v1/metrics`, compression: CompressionAlgorithm.GZIP }), "payments", "2.0.0"));
    const from = minute(-5);
    const to = minute(5);
    const ofVersion = await api.call(`/api/v1/metrics/series?service=payments&environment=production&metric=queue.depth&from=${from}&to=${to}&step=600&version=2.0.0`);
    assert.equal(ofVersion.body.points[0].max, 9);
    const otherVersion = await api.call(`/api/v1/metrics/series?service=payments&environment=production&metric=queue.depth&from=${from}&to=${to}&step=600&version=1.0.0`);
    assert.deepEqual(otherVersion.body.points, []);
  });

  const otlpJson = (resource: Record<string, string>, points: object[]) => ({
    resourceMetrics: [{
      resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: { stringValue: value } })) },
      scopeMetrics: [{ scope: { name: "t" }, metrics: [{ name: "errors", unit: "1", gauge: { dataPoints: points } }] }],
    }],
  });
  const nowNs = () => `${BigInt(Date.now()) * 1_000_000n}`;

  it("answers partial success for points it cannot place, and writes the rest", async () => {
    const body = { resourceMetrics: [...otlpJson({ "service.name": "nowhere" }, [{ timeUnixNano: nowNs(), asDouble: 1 }]).resourceMetrics,
      ...otlpJson({ "service.name": "placed", "deployment.environment": "production" }, [{ timeUnixNano: nowNs(), asDouble: 2 }, { asDouble: 3 }]).resourceMetrics] };
    const answer = await api.call("/v1/metrics", { method: "POST", json: body });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.partialSuccess.rejectedDataPoints, 2);
    assert.match(answer.body.partialSuccess.errorMessage, /deployment.environment.name/);
    assert.match(answer.body.partialSuccess.errorMessage, /timeUnixNano/);
    const catalog = await api.call("/api/v1/metrics?service=placed&environment=production");
    assert.deepEqual(catalog.body.metrics.map((m: any) => m.metric), ["errors"]);
  });

  it("rejects a malformed body with 400 and another content type with 415, and counts a retried export once", async () => {
    const bad = await fetch(`${api.url}/v1/metrics`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: Buffer.from([0x0a, 0xff, 0xff]) });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error, "malformed_otlp");
    const badJson = await api.call("/v1/metrics", { method: "POST", headers: { "content-type": "application/json" }, body: "{\"resourceMetrics\":" });
    assert.equal(badJson.status, 400);
    const wrongType = await api.call("/v1/metrics", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
    assert.equal(wrongType.status, 415);

    const at = minute(0);
    const body = gzipSync(JSON.stringify(otlpJson({ "service.name": "retry", "deployment.environment.name": "production" }, [
      { timeUnixNano: `${BigInt(Date.parse(at)) * 1_000_000n}`, asDouble: 4 },
    ])));
    for (let i = 0; i < 2; i += 1) {
      const answer = await fetch(`${api.url}/v1/metrics`, { method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body });
      assert.equal(answer.status, 200);
    }
    const [row] = await api.store.query({
      name: "test.rawCount",
      sql: "SELECT count() AS n FROM otel_metrics_gauge WHERE ServiceName = 'retry'",
      rows: (await import("zod")).z.object({ n: (await import("zod")).z.number() }),
    });
    assert.equal(row!.n, 1);
    const series = await api.call(`/api/v1/metrics/series?service=retry&environment=production&metric=errors&from=${minute(-1)}&to=${minute(1)}`);
    assert.deepEqual(series.body.points.map((p: any) => [p.value, p.minutes]), [[4, 1]]);
  });

  it("takes plain points as JSON or NDJSON and names the field of a bad one", async () => {
    const at = minute(-2);
    const ok = await api.call("/api/v1/metrics/points", {
      method: "POST", headers: { "content-type": "application/x-ndjson" },
      body: `{"service":"plain","environment":"production","metric":"error_rate","at":"${at}","value":0.5}\n{"service":"plain","environment":"production","version":"v2","metric":"error_rate","at":"${at}","value":1.5}\n`,
    });
    assert.equal(ok.status, 202);
    assert.deepEqual(ok.body, { accepted: 2, duplicate: false });
    const series = await api.call(`/api/v1/metrics/series?service=plain&environment=production&metric=error_rate&from=${minute(-3)}&to=${minute(0)}`);
    assert.deepEqual(series.body.points.map((p: any) => [p.at, p.value]), [[at, 1]]);
    const bad = await api.call("/api/v1/metrics/points", { method: "POST", json: [{ service: "plain", environment: "production", metric: "x", at, value: "1" }] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.issues[0].path, "value");
    assert.equal(bad.body.issues[0].index, 0);
    const badQuery = await api.call(`/api/v1/metrics/series?service=plain&environment=production&metric=x&from=${at}&to=${minute(0)}&step=90`);
    assert.equal(badQuery.status, 400);
    assert.deepEqual(badQuery.body.issues.map((i: any) => i.path).sort(), ["query.step"]);
  });
});
