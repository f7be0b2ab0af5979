/**
 * Metrics benchmark, two parts in one run:
 *
 * 1. OTLP ingest: BENCH_OTLP_POINTS data points (default 200,000) as protobuf
 *    ExportMetricsServiceRequests of 1,000 points (gauges, cumulative and delta sums,
 *    explicit histograms), posted to `/v1/metrics` of an API child process, against the
 *    raw engine insert of the same rows (mapped beforehand) into a fresh store, one writer.
 * 1b. OTLP ingest in many small requests: BENCH_SMALL_REQUESTS (2,000) requests of 10 gauge
 *    points each, posted by BENCH_SMALL_CLIENTS (32) clients at once, as many SDKs exporting
 *    every few seconds would: points/s and request p50/p95.
 * 2. Impact and verdict of one deployment with BENCH_SCALE derived points (default
 *    20,000,000) stored through the per-minute rollups, 500 services x 10 metrics x 4
 *    streams every 10 s, plus 10,000 other deployments: p50/p95 of GET .../impact and
 *    GET .../verdict over BENCH_RUNS (30) calls, and of the deployment list.
 *
 *   npm run bench:metrics
 *   BENCH_PHASES=small npm run bench:metrics      # only some of: otlp, small, impact
 *   BENCH_SCALE=1000000000 npm run bench:metrics   # the 1B (hours; not on a shared machine)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CumulativeTracker, mapOtlpMetrics } from "@drumbeat/analysis";
import { parseEventBatch } from "@drumbeat/events";
import { z } from "zod";
import { RAW_METRIC_TABLES, migrate, openStore, writeEvents, type QuerySpec, type Store } from "@drumbeat/store";
import { ExportMetricsServiceRequest, decodeMetricsRequest } from "../apps/api/src/otlp/decode.ts";
import { apiConfigFromEnv, startApi } from "../apps/api/src/index.ts";
import { withApiProcess } from "./apiProcess.ts";
import { percentile } from "./percentile.ts";

const OTLP_POINTS = Number(process.env.BENCH_OTLP_POINTS ?? 200_000);
const SCALE = Number(process.env.BENCH_SCALE ?? 20_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const PORT = Number(process.env.BENCH_PORT ?? 3910);
const STREAMS_PER_REQUEST = 250; // x 4 metrics = 1,000 points
const SMALL_REQUESTS = Number(process.env.BENCH_SMALL_REQUESTS ?? 2_000);
const SMALL_CLIENTS = Number(process.env.BENCH_SMALL_CLIENTS ?? 32);
const SMALL_POINTS = 10;
const PHASES = new Set((process.env.BENCH_PHASES ?? "otlp,small,impact").split(","));

const T0_NS = BigInt(Date.UTC(2026, 10, 1)) * 1_000_000n;
const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** Request i: one service's 250 streams, 10 s after the previous request of that service. */
function otlpRequest(i: number): Buffer {
  const service = `svc-${i % 20}`;
  const timeNs = T0_NS + BigInt(Math.floor(i / 20) + 1) * 10_000_000_000n;
  const points = (make: (stream: number) => object) => Array.from({ length: STREAMS_PER_REQUEST }, (_, s) => ({
    attributes: [kv("route", `/r${s}`)], startTimeUnixNano: String(T0_NS), timeUnixNano: String(timeNs), ...make(s),
  }));
  const step = Math.floor(i / 20) + 1;
  const request = {
    resourceMetrics: [{
      resource: { attributes: [kv("service.name", service), kv("service.version", "1.0.0"), kv("deployment.environment.name", "production")] },
      scopeMetrics: [{ scope: { name: "bench" }, metrics: [
        { name: "queue.depth", gauge: { dataPoints: points((s) => ({ asDouble: s % 7 })) } },
        { name: "http.server.requests", sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points((s) => ({ asInt: String(step * (10 + s)) })) } },
        { name: "http.server.errors", sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: points((s) => ({ asInt: String(s % 3), startTimeUnixNano: String(timeNs - 10_000_000_000n) })) } },
        { name: "http.server.request.duration", histogram: { aggregationTemporality: 1, dataPoints: points((s) => ({
          startTimeUnixNano: String(timeNs - 10_000_000_000n), count: "20", sum: 4, explicitBounds: [0.05, 0.1, 0.25, 0.5, 1],
          bucketCounts: ["4", "6", "5", "3", "1", "1"],
        })) } },
      ] }],
    }],
  };
  return Buffer.from(ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(request)).finish());
}

/** Small request i: one instance's 10 gauges at one time (distinct content: no request is a retry of another). */
function smallRequest(i: number): Buffer {
  const timeNs = T0_NS + BigInt(i + 1) * 1_000_000_000n;
  const request = {
    resourceMetrics: [{
      resource: { attributes: [kv("service.name", `svc-${i % 50}`), kv("service.instance.id", `pod-${i % 200}`), kv("deployment.environment.name", "production")] },
      scopeMetrics: [{ scope: { name: "bench" }, metrics: Array.from({ length: SMALL_POINTS }, (_, m) => ({
        name: `runtime.gauge.${m}`, gauge: { dataPoints: [{ timeUnixNano: String(timeNs), asDouble: (i * 7 + m) % 13 }] },
      })) }],
    }],
  };
  return Buffer.from(ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(request)).finish());
}

/** The small requests, all clients at once: total time and each request's latency. */
async function smallIngest(): Promise<{ ms: number; latencies: number[] }> {
  const bodies = Array.from({ length: SMALL_REQUESTS }, (_, i) => smallRequest(i));
  return withApiProcess(PORT, async (url) => {
    let next = 0;
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(Array.from({ length: SMALL_CLIENTS }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const sent = performance.now();
        const response = await fetch(`${url}/v1/metrics`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array(body) });
        if (response.status !== 200) throw new Error(`/v1/metrics answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
        latencies.push(performance.now() - sent);
      }
    }));
    return { ms: performance.now() - started, latencies };
  });
}

async function rawInsert(bodies: Buffer[]): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-bench-metrics-raw-"));
  const store = await openStore({ dataDir, database: "bench_metrics_raw" });
  try {
    await migrate(store);
    const tracker = new CumulativeTracker();
    // decoding and mapping are the API's work: done before the clock starts here
    const batches = bodies.map((body) => mapOtlpMetrics(decodeMetricsRequest("protobuf", body), tracker));
    const started = performance.now();
    for (const batch of batches) {
      for (const table of RAW_METRIC_TABLES) if (batch.raw[table].length > 0) await store.insert(table, batch.raw[table]);
      await store.insert("metric_points", batch.points);
    }
    return performance.now() - started;
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function otlpIngest(bodies: Buffer[]): Promise<number> {
  return withApiProcess(PORT, async (url) => {
    let next = 0;
    const started = performance.now();
    // one client per service group keeps each cumulative stream's points in order
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const response = await fetch(`${url}/v1/metrics`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array(body) });
        if (response.status !== 200) throw new Error(`/v1/metrics answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
      }
    }));
    return performance.now() - started;
  });
}

/**
 * What one request reads: each query it runs, recorded, then estimated by the engine from
 * the primary key and partitions alone (EXPLAIN ESTIMATE: the rows of the granules it
 * would read, per table), without running it again.
 */
async function rowsRead(store: Store, request: () => Promise<unknown>): Promise<Record<string, Record<string, number>>> {
  const specs: QuerySpec<unknown>[] = [];
  const query = store.query.bind(store);
  store.query = (spec) => {
    specs.push(spec as QuerySpec<unknown>);
    return query(spec);
  };
  try {
    await request();
  } finally {
    store.query = query;
  }
  const out: Record<string, Record<string, number>> = {};
  for (const spec of specs) {
    const rows = await query({ name: "bench.explain", sql: `EXPLAIN ESTIMATE ${spec.sql}`, params: spec.params, rows: z.object({ table: z.string(), rows: z.coerce.number() }) });
    out[spec.name] = Object.fromEntries(rows.map((row) => [row.table, row.rows]));
  }
  return out;
}

/** SCALE points generated by the engine into metric_points, so the views fill the rollups as ingest would. */
async function impactAtScale() {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-bench-impact-"));
  const config = apiConfigFromEnv({ ...process.env, DRUMBEAT_AUTH: "off", LOG_LEVEL: "warn", NODE_ENV: "production", CLICKHOUSE_URL: "" }, {
    port: 0, host: "127.0.0.1", store: { dataDir, database: "bench_impact" },
  });
  const api = await startApi(config);
  try {
    const perInterval = 500 * 10 * 4; // services x metrics x streams, every 10 s
    const intervals = Math.ceil(SCALE / perInterval);
    const startMs = Date.now() - intervals * 10_000 - 3_600_000;
    const loadStarted = performance.now();
    const chunk = 10_000_000;
    for (let offset = 0; offset < SCALE; offset += chunk) {
      await api.store.command("bench.points", `INSERT INTO metric_points
        SELECT 'production' AS environment, concat('svc-', toString(n % 500)) AS service,
          if(intDiv(n, {perInterval:UInt64}) < {half:UInt64}, '1.0.0', '2.0.0') AS version,
          ['http.server.errors', 'http.server.requests', 'http.server.request.duration.p95', 'http.server.request.duration.p50',
           'queue.depth', 'cpu.utilization', 'memory.usage', 'db.client.duration.p95', 'cache.hits', 'jobs.failed'][intDiv(n, 500) % 10 + 1] AS metric,
          if(intDiv(n, 500) % 10 = 1 OR intDiv(n, 500) % 10 = 8, 'rate', 'gauge') AS kind, '' AS unit,
          intDiv(n, 5000) % 4 AS stream,
          toDateTime64({start:Int64} / 1000 + intDiv(n, {perInterval:UInt64}) * 10, 3, 'UTC') AS at,
          (intDiv(n, 500) % 10 + 1) * (1 + if(intDiv(n, {perInterval:UInt64}) >= {half:UInt64} AND n % 500 = 7 AND intDiv(n, 500) % 10 = 0, 2, 0)) + (cityHash64(n) % 100) / 1000 AS value
        FROM (SELECT number AS n FROM numbers({offset:UInt64}, {count:UInt64}))`, {
        perInterval, half: Math.floor(intervals / 2), start: startMs, offset, count: Math.min(chunk, SCALE - offset),
      });
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    // the deployment of svc-7 at the middle of the range, 5 minutes long, that triples its error rate; 10,000 others
    const deployAt = startMs + Math.floor(intervals / 2) * 10_000;
    const events: unknown[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      events.push({ type: "deployment", deploymentId: `other-${i}`, service: `svc-${i % 500}`, environment: "production", version: `v${i}`, status: "succeeded", occurredAt: new Date(startMs + i * 1000).toISOString() });
    }
    events.push({ type: "deployment", deploymentId: "target", service: "svc-7", environment: "production", version: "2.0.0", status: "started", occurredAt: new Date(deployAt - 300_000).toISOString() });
    events.push({ type: "deployment", deploymentId: "target", service: "svc-7", environment: "production", version: "2.0.0", status: "succeeded", occurredAt: new Date(deployAt).toISOString() });
    const batch = parseEventBatch(events);
    if (!batch.ok) throw new Error("bench events are invalid");
    await writeEvents(api.store, batch.events);
    await api.store.command("bench.optimize", "OPTIMIZE TABLE metric_rollup_1m FINAL");
    const [rollup] = await api.store.query({ name: "bench.rollupRows", sql: "SELECT count() AS n FROM metric_rollup_1m", rows: z.object({ n: z.number() }) });

    const time = async (path: string) => {
      const ms: number[] = [];
      let last: any;
      for (let i = 0; i < RUNS; i += 1) {
        const started = performance.now();
        const response = await fetch(api.url + path);
        last = await response.json();
        if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(last)}`);
        ms.push(performance.now() - started);
      }
      return { p50: +percentile(ms, 0.5).toFixed(1), p95: +percentile(ms, 0.95).toFixed(1), last };
    };
    const impact = await time("/api/v1/deployments/target/impact");
    const verdict = await time("/api/v1/deployments/target/verdict");
    const list = await time("/api/v1/deployments?limit=50");
    const reads = await rowsRead(api.store, () => fetch(api.url + "/api/v1/deployments/target/verdict").then((r) => r.json()));
    return {
      points: SCALE, rollupRows: rollup!.n, loadSeconds: +loadSeconds.toFixed(1), rowsReadPerVerdict: reads,
      impactMs: { p50: impact.p50, p95: impact.p95 }, verdictMs: { p50: verdict.p50, p95: verdict.p95 }, listMs: { p50: list.p50, p95: list.p95 },
      impactVerdict: impact.last.verdict, gate: `${verdict.last.verdict} ${verdict.last.score}`,
    };
  } finally {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const result: Record<string, unknown> = {};
if (PHASES.has("otlp")) {
  const bodies = Array.from({ length: Math.ceil(OTLP_POINTS / (STREAMS_PER_REQUEST * 4)) }, (_, i) => otlpRequest(i));
  const points = bodies.length * STREAMS_PER_REQUEST * 4;
  const rawMs = await rawInsert(bodies);
  const httpMs = await otlpIngest(bodies);
  result.otlp = {
    points, requests: bodies.length, clients: CONCURRENCY,
    rawPointsPerSecond: Math.round(points / (rawMs / 1000)), otlpPointsPerSecond: Math.round(points / (httpMs / 1000)),
    ratio: +(rawMs / httpMs).toFixed(3), target: ">= 0.5 of the raw insert rate",
  };
}
if (PHASES.has("small")) {
  const { ms, latencies } = await smallIngest();
  result.smallRequests = {
    requests: SMALL_REQUESTS, pointsPerRequest: SMALL_POINTS, clients: SMALL_CLIENTS,
    pointsPerSecond: Math.round((SMALL_REQUESTS * SMALL_POINTS) / (ms / 1000)), requestsPerSecond: Math.round(SMALL_REQUESTS / (ms / 1000)),
    latencyMs: { p50: +percentile(latencies, 0.5).toFixed(1), p95: +percentile(latencies, 0.95).toFixed(1) },
  };
}
if (PHASES.has("impact")) result.impact = { ...(await impactAtScale()), runs: RUNS, target: "p95 < 200 ms" };
console.log(JSON.stringify(result, null, 2));
mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(new URL(`results/metrics-${Date.now()}.json`, import.meta.url), JSON.stringify(result, null, 2));
