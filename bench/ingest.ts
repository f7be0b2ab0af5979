/**
 * Ingest benchmark: N deployment events posted over HTTP in batches (validation, dedup
 * lookup, durable insert) against the raw engine insert of the same rows, in one run.
 *
 *   npm run bench:ingest                      # 1,000,000 events, batches of 1,000
 *   BENCH_EVENTS=100000 npm run bench:ingest  # quicker
 *
 * The API runs as its own process (as in production) on a fresh embedded store; the raw
 * baselines insert the same rows, validated and keyed beforehand, into another fresh
 * embedded store from this process: with one writer (batch after batch, the plain
 * engine insert rate the target refers to) and with as many writers as the HTTP run.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEventBatch } from "@drumbeat/events";
import { migrate, openStore, toEventRow } from "@drumbeat/store";

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const PORT = Number(process.env.BENCH_PORT ?? 3900);

function deploymentEvent(i: number) {
  const service = `svc-${i % 500}`;
  const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  return {
    type: "deployment", deploymentId: `bench-${i}`, occurredAt: at, service, environment: i % 3 === 0 ? "staging" : "production",
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
      return parsed.events.map(toEventRow);
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

async function httpIngest(bodies: string[]): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-bench-http-"));
  const main = fileURLToPath(new URL("../apps/api/src/main.ts", import.meta.url));
  const api = spawn(process.execPath, ["--import", "tsx", main], {
    env: { ...process.env, PORT: String(PORT), DRUMBEAT_DATA_DIR: dataDir, DRUMBEAT_AUTH: "off", LOG_LEVEL: "warn", NODE_ENV: "production", CLICKHOUSE_URL: "" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${PORT}`;
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
      if (i > 300) throw new Error("API did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
    let next = 0;
    let accepted = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const response = await fetch(`${url}/api/v1/events`, { method: "POST", headers: { "content-type": "application/json" }, body });
        if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
        accepted += ((await response.json()) as { accepted: number }).accepted;
      }
    }));
    const elapsed = performance.now() - started;
    if (accepted !== TOTAL) throw new Error(`accepted ${accepted} of ${TOTAL}`);
    return elapsed;
  } finally {
    api.kill("SIGTERM");
    await new Promise((r) => api.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const bodies = batches();
const rawMs = await rawInsert(bodies, 1);
const rawParallelMs = await rawInsert(bodies, CONCURRENCY);
const httpMs = await httpIngest(bodies);
const rate = (ms: number) => Math.round(TOTAL / (ms / 1000));
const figures = (ms: number) => ({ seconds: +(ms / 1000).toFixed(2), eventsPerSecond: rate(ms) });
const result = {
  events: TOTAL, batch: BATCH, httpConcurrency: CONCURRENCY,
  rawInsert: figures(rawMs),
  rawInsertParallel: figures(rawParallelMs),
  httpIngest: figures(httpMs),
  ratio: +(rawMs / httpMs).toFixed(3),
  ratioToParallel: +(rawParallelMs / httpMs).toFixed(3),
  target: ">= 0.6 of the raw insert rate",
};
console.table({ "raw, 1 writer": result.rawInsert, [`raw, ${CONCURRENCY} writers`]: result.rawInsertParallel, [`http, ${CONCURRENCY} clients`]: result.httpIngest });
console.log(`HTTP ingest reaches ${(result.ratio * 100).toFixed(1)}% of the raw engine insert rate (target 60%), ` +
  `${(result.ratioToParallel * 100).toFixed(1)}% of ${CONCURRENCY} parallel raw writers`);
mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(new URL(`results/ingest-${Date.now()}.json`, import.meta.url), JSON.stringify(result, null, 2));
