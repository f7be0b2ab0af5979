/**
 * Release insights benchmark: each insight (the functions behind /api/v1/insights/…) for
 * all services over the last year of the DORA benchmark's synthetic 3-year history, on
 * the embedded engine, with /dora over the same year as the yardstick, in one run.
 *
 *   npm run bench:insights                   # 10M deployments, 500 services (a year holds a third)
 *   BENCH_SCALE=0.1 npm run bench:insights   # a tenth of that
 *
 * The history is bench/dora/generate.ts's, reshaped for the insights (bench/insights/reshape.ts):
 * batches of 1 to 64 commits, strategies, artifacts, canary steps, staging deployments.
 * BENCH_RUNS (default 20) timed runs per case after one warm-up; p50 and p95 in ms, and
 * p95 as a share of the 300 ms target and against /dora's p95; the p95 of each query by
 * name; and what the insights' columns add to a facts build (bench/insights/buildCost.ts).
 * Results go to bench/results/.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_DORA_SETTINGS, batchInsights, doraSummary, promotionInsights, refreshFacts, releaseWindow, strategiesInsights,
} from "@drumbeat/analysis";
import { migrate, openStore, type Store } from "@drumbeat/store";
import { END, generate, scaleOf } from "./dora/generate.ts";
import { buildCost } from "./insights/buildCost.ts";
import { reshapeForInsights } from "./insights/reshape.ts";
import { percentile } from "./percentile.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_MS = 300;
const settings = DEFAULT_DORA_SETTINGS;
const to = new Date(END.replace(" ", "T") + "Z");
const range = { from: new Date(to.getTime() - 365 * 86_400_000).toISOString(), to: to.toISOString() };

const CASES: { name: string; run: (store: Store) => Promise<unknown> }[] = [
  { name: "/dora (yardstick)", run: (s) => doraSummary(s, range, settings) },
  { name: "batch-size", run: (s) => batchInsights(s, range, settings) },
  { name: "batch-size groupBy=team", run: (s) => batchInsights(s, { ...range, groupBy: "team" }, settings) },
  { name: "release-window Europe/Paris", run: (s) => releaseWindow(s, { ...range, timeZone: "Europe/Paris" }, settings) },
  { name: "promotion", run: (s) => promotionInsights(s, range, settings) },
  { name: "strategies", run: (s) => strategiesInsights(s, range, settings) },
];

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function main() {
  const scale = scaleOf(SCALE);
  const work = mkdtempSync(join(tmpdir(), "drumbeat-bench-insights-"));
  chmodSync(work, 0o777);
  const open = () => openStore({ dataDir: join(work, "chdb"), database: "bench_insights" });
  let store = await open();
  try {
    await migrate(store);
    console.log(`scale ${SCALE}: ${scale.deployments} deployments over 3 years, 500 services; range ${range.from} .. ${range.to}`);
    await timed("generate in ClickHouse", () => generate(store, scale));
    await timed("reshape for the insights", () => reshapeForInsights(store));
    await store.close();
    store = await open();
    await timed("build DORA facts with the insights' columns (500 services, full history)", () => refreshFacts(store, "production", settings));

    const times: Record<string, number[]> = {};
    const queries: Record<string, number[]> = {};
    const query = store.query.bind(store);
    // Each query's own time, by name, to see which part of a view costs what.
    store.query = (async (spec: Parameters<Store["query"]>[0]) => {
      const started = performance.now();
      try {
        return await query(spec);
      } finally {
        (queries[spec.name] ??= []).push(performance.now() - started);
      }
    }) as Store["query"];
    for (const c of CASES) {
      await c.run(store);
      times[c.name] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await c.run(store);
        times[c.name]!.push(performance.now() - started);
      }
    }
    const yardstick = percentile(times[CASES[0]!.name]!, 0.95);
    const rows = CASES.map((c) => {
      const t = times[c.name]!;
      const p95 = percentile(t, 0.95);
      return { case: c.name, p50: percentile(t, 0.5), p95, ofTarget: p95 / TARGET_MS, ofDora: p95 / yardstick };
    });
    console.table(rows.map((r) => ({
      case: r.case, "p50 ms": r.p50.toFixed(0), "p95 ms": r.p95.toFixed(0), "p95 / 300 ms": r.ofTarget.toFixed(2), "p95 / dora p95": r.ofDora.toFixed(2),
    })));
    console.table(Object.entries(queries).filter(([name]) => name.startsWith("insights.") || name.startsWith("dora.outcomes"))
      .map(([name, t]) => ({ query: name, "p50 ms": percentile(t, 0.5).toFixed(0), "p95 ms": percentile(t, 0.95).toFixed(0) })));
    store.query = query;
    const build = await buildCost(store, RUNS > 3 ? 3 : RUNS);
    console.log(`facts build of one chunk (50 services, deployments statement): ${build.withoutMs.toFixed(0)} ms without the insights' columns, ` +
      `${build.withMs.toFixed(0)} ms with (× ${(build.withMs / build.withoutMs).toFixed(2)}), medians of ${build.runs}`);
    const batch = await batchInsights(store, range, settings);
    console.log(`batch verdict over all services: ${batch.verdict.sentence}`);
    const results = new URL("./results/", import.meta.url);
    mkdirSync(results, { recursive: true });
    const file = new URL(`insights-${new Date().toISOString().replace(/[:.]/g, "-")}.json`, results);
    writeFileSync(file, JSON.stringify({ scale: SCALE, counts: scale, runs: RUNS, range, rows, times, queries, build }, null, 2));
    console.log(`results: ${file.pathname}`);
  } finally {
    await store.close();
    if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

await main();
