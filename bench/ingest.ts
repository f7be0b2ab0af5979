/**
 * Ingest benchmark, two loads against the API running as its own process (as in
 * production) on a fresh embedded store, in one run:
 *
 * - small requests: BENCH_SMALL_CLIENTS (32) clients each posting one deployment event
 *   per request, back to back, for BENCH_SMALL_SECONDS (10) after BENCH_WARMUP_SECONDS (3)
 *   of the same: events/s, p50 and p99; and
 *   first the same requests made invalid, which the API refuses without writing: the
 *   ceiling of this machine's HTTP stack, against which ingest is a ratio (clients: wrk when
 *   installed, else node's fetch);
 * - bulk: BENCH_EVENTS (200,000) deployment events with one commit each, in batches of
 *   BENCH_BATCH (1,000) over BENCH_CONCURRENCY (4) connections, against the raw engine
 *   insert of the same journal rows, validated and keyed beforehand, into the `events`
 *   table of another fresh store from this process (one writer, batch after batch: the
 *   plain engine insert rate the target refers to; and as many writers as the HTTP run).
 *
 *   npm run bench:ingest
 *   BENCH_EVENTS=50000 BENCH_SMALL_SECONDS=5 npm run bench:ingest   # quicker
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEventBatch } from "@drumbeat/events";
import { migrate, openStore, toEventRow } from "@drumbeat/store";
import { withApiProcess } from "./apiProcess.ts";
import { percentile } from "./percentile.ts";

const TOTAL = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SMALL_CLIENTS = Number(process.env.BENCH_SMALL_CLIENTS ?? 32);
const SMALL_SECONDS = Number(process.env.BENCH_SMALL_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 3900);

function deploymentEvent(i: number, prefix = "bench") {
  const service = `svc-${i % 500}`;
  const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  return {
    type: "deployment", deploymentId: `${prefix}-${i}`, occurredAt: at, service, environment: i % 3 === 0 ? "staging" : "production",
    team: `team-${i % 40}`, version: (i * 2654435761 % 2 ** 32).toString(16).padStart(8, "0"), status: i % 9 === 0 ? "failed" : "succeeded",
    commits: [{ sha: (i * 40503 % 2 ** 32).toString(16).padStart(8, "0") + "c0ffee", authoredAt: new Date(Date.parse(at) - 3_600_000).toISOString(), author: "dev" }],
  };
}

function batches(): string[] {
  const bodies: string[] = [];
  for (let start = 0; start < TOTAL; start += BATCH) {
    const items = [];
    for (let i = start; i < Math.min(TOTAL, start + BATCH); i++) items.push(deploymentEvent(i));
    bodies.push(JSON.stringify(items));
  }
  return bodies;
}

async function rawInsert(bodies: string[], writers: number): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-bench-raw-"));
  const store = await openStore({ dataDir, database: "bench_raw" });
  try {
    await migrate(store);
    // Validation and id derivation are the API's work: done before the clock starts here.
    const rowBatches = bodies.map((body) => {
      const parsed = parseEventBatch(JSON.parse(body));
      if (!parsed.ok) throw new Error("bench data is invalid");
      return parsed.events.map((event) => toEventRow(event));
    });
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: writers }, async () => {
      while (next < rowBatches.length) await store.insert("events", rowBatches[next++]!);
    }));
    return performance.now() - started;
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function post(url: string, body: string, expected = 202): Promise<number> {
  const response = await fetch(`${url}/api/v1/events`, { method: "POST", headers: { "content-type": "application/json" }, body });
  if (response.status !== expected) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { accepted?: number }).accepted ?? 0;
}

async function httpIngest(bodies: string[]): Promise<number> {
  return withApiProcess(PORT, async (url) => {
    let next = 0;
    let accepted = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const n = await post(url, bodies[next++]!);
        accepted += n;
      }
    }));
    // Until the events can be read (the embedded engine loads its ingest log after answering).
    const read = await fetch(`${url}/api/v1/deployments?limit=1`);
    if (!read.ok) throw new Error(`reading back answered ${read.status}`);
    const elapsed = performance.now() - started;
    if (accepted !== TOTAL) throw new Error(`accepted ${accepted} of ${TOTAL}`);
    return elapsed;
  });
}

interface SmallRun { generator: string; requests: number; perSecond: number; p50Ms: number; p99Ms: number }

/**
 * SMALL_CLIENTS clients posting one event per request, back to back. With `invalid`, each
 * event lacks its version: the API reads, parses and validates it and answers 400 without
 * writing, which is what this machine's HTTP stack can serve at all, the ceiling for ingest.
 * The clients are wrk's when it is installed (`apt-get install wrk`): a load generator in C
 * leaves the API most of a 2-core machine, where node's own clients took a core themselves.
 */
function smallRequests(url: string, invalid: boolean): Promise<SmallRun> {
  return hasWrk() ? smallRequestsWithWrk(url, invalid) : smallRequestsWithFetch(url, invalid);
}

function hasWrk(): boolean {
  return spawnSync("wrk", ["--version"]).error === undefined;
}

async function smallRequestsWithWrk(url: string, invalid: boolean): Promise<SmallRun> {
  const script = fileURLToPath(new URL("wrk/one-event.lua", import.meta.url));
  const wrk = (seconds: number) => spawnSync("wrk", ["-t1", `-c${SMALL_CLIENTS}`, `-d${seconds}s`, "--latency", "-s", script, url], {
    env: { ...process.env, BENCH_INVALID: invalid ? "1" : "0" }, encoding: "utf8",
  });
  wrk(WARMUP_SECONDS); // a server runs warm: compiled code, the engine's caches
  const run = wrk(SMALL_SECONDS);
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr}`);
  const out = run.stdout;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const refused = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  if (refused !== (invalid ? requests : 0)) throw new Error(`${refused} of ${requests} requests were refused:\n${out}`);
  const latency = (p: string) => {
    const [, value, unit] = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)$`, "m").exec(out) ?? [];
    return +(Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit as "us" | "ms" | "s"]).toFixed(1);
  };
  return { generator: "wrk", requests, perSecond: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])), p50Ms: latency("50"), p99Ms: latency("99") };
}

let sentByFetch = 0;

async function smallRequestsWithFetch(url: string, invalid: boolean): Promise<SmallRun> {
  const clients = async (seconds: number) => {
    const latencies: number[] = [];
    let accepted = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(Array.from({ length: SMALL_CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const event: Record<string, unknown> = deploymentEvent(sentByFetch++, "small");
        if (invalid) delete event.version;
        const sent = performance.now();
        const n = await post(url, JSON.stringify(event), invalid ? 400 : 202); // not `+= await`: that reads the sum before waiting
        accepted += n;
        latencies.push(performance.now() - sent);
      }
    }));
    if (!invalid && accepted !== latencies.length) throw new Error(`accepted ${accepted} of ${latencies.length}`);
    return { latencies, elapsed: performance.now() - started };
  };
  await clients(WARMUP_SECONDS);
  const { latencies, elapsed } = await clients(SMALL_SECONDS);
  return {
    generator: "node fetch (install wrk for a lighter one)",
    requests: latencies.length,
    perSecond: Math.round(latencies.length / (elapsed / 1000)),
    p50Ms: +percentile(latencies, 0.5).toFixed(1),
    p99Ms: +percentile(latencies, 0.99).toFixed(1),
  };
}

const loadBefore = loadavg()[0]!;
const { ceiling, small } = await withApiProcess(PORT, async (url) => ({ ceiling: await smallRequests(url, true), small: await smallRequests(url, false) }));
const bodies = batches();
const rawMs = await rawInsert(bodies, 1);
const rawParallelMs = await rawInsert(bodies, CONCURRENCY);
const httpMs = await httpIngest(bodies);
const rate = (ms: number) => Math.round(TOTAL / (ms / 1000));
const figures = (ms: number) => ({ seconds: +(ms / 1000).toFixed(2), eventsPerSecond: rate(ms) });
const result = {
  small: { clients: SMALL_CLIENTS, seconds: SMALL_SECONDS, ...small, target: ">= 2,000 events/s, p99 < 100 ms" },
  ceiling: { ...ceiling, what: "the same requests refused by validation (400): no write" },
  smallRatioToCeiling: +(small.perSecond / ceiling.perSecond).toFixed(3),
  events: TOTAL, batch: BATCH, httpConcurrency: CONCURRENCY,
  rawInsert: figures(rawMs),
  rawInsertParallel: figures(rawParallelMs),
  httpIngest: figures(httpMs),
  ratio: +(rawMs / httpMs).toFixed(3),
  ratioToParallel: +(rawParallelMs / httpMs).toFixed(3),
  target: ">= 0.5 of the raw insert rate",
  loadAverage: { before: +loadBefore.toFixed(2), after: +loadavg()[0]!.toFixed(2) },
};
console.log(`${SMALL_CLIENTS} clients (${small.generator}), one event per request: ${small.perSecond} events/s, p50 ${small.p50Ms} ms, p99 ${small.p99Ms} ms ` +
  `(${small.requests} requests; target >= 2,000 events/s, p99 < 100 ms); the same requests refused without a write: ` +
  `${ceiling.perSecond} requests/s, p50 ${ceiling.p50Ms} ms, p99 ${ceiling.p99Ms} ms: ingest at ${(result.smallRatioToCeiling * 100).toFixed(1)}% of that ceiling`);
console.table({ "raw, 1 writer": result.rawInsert, [`raw, ${CONCURRENCY} writers`]: result.rawInsertParallel, [`http, ${CONCURRENCY} clients`]: result.httpIngest });
console.log(`HTTP ingest reaches ${(result.ratio * 100).toFixed(1)}% of the raw engine insert rate (target 50%), ` +
  `${(result.ratioToParallel * 100).toFixed(1)}% of ${CONCURRENCY} parallel raw writers; load average ${result.loadAverage.before} -> ${result.loadAverage.after}`);
mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(new URL(`results/ingest-${Date.now()}.json`, import.meta.url), JSON.stringify(result, null, 2));
