/**
 * Dashboard benchmark: the largest contentful paint of each page in Debian's Chromium,
 * with the API over a synthetic history (bench/dora/generate.ts) on the embedded engine.
 *
 *   npm run bench:dashboard                   # 10M deployments, as bench:dora
 *   BENCH_SCALE=0.01 npm run bench:dashboard  # 100k
 *
 * Needs the dashboard built (`npm run build`). BENCH_RUNS (default 10) loads per page, each
 * in a fresh browser context after one warm-up; the DORA facts are built before timing.
 * Besides the LCP, "loaded" is when the document finished loading: on pages that stream
 * sections in (the overview), when the last of them arrived.
 * Behind each page, the store queries its loads ran (from the store's own spans, see
 * queryTimes.ts): calls per load and median time, and that time scaled linearly to 10M
 * deployments, an upper bound for the scans (keyed lookups do not grow with the history).
 * Results go to bench/results/. BENCH_DATA_DIR keeps the generated history there and reuses
 * it on the next run (the same data before and after a change); bench:dashboard-reads
 * (dashboardReads.ts) shows the rows each of these queries reads.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { apiConfigFromEnv, startApi } from "@drumbeat/api";
import { startBuiltWeb } from "../apps/web/test/nextServer.ts";
import { scaleOf } from "./dora/generate.ts";
import { benchDataDir, openHistory } from "./history.ts";
import { QueryTimes } from "./queryTimes.ts";
import { percentile } from "./percentile.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
/** The last 90 days of the generated history (it ends on 2026-01-01). */
const RANGE = "from=2025-10-03&to=2025-12-31";
const pagesOf = (deployments: number) => [
  `/?${RANGE}`,
  `/?${RANGE}&service=svc-7`,
  `/?${RANGE}&by=team`,
  "/deployments",
  "/deployments?service=svc-7",
  `/deployments/d${deployments - 1}`,
  `/failures?${RANGE}`,
  `/lead-times?${RANGE}`,
  `/incidents?${RANGE}`,
  "/usecases",
];

const { dataDir, dispose } = benchDataDir("drumbeat-bench-dashboard-");
const database = "bench_dashboard";
try {
  const scale = scaleOf(SCALE);
  const started = Date.now();
  const store = await openHistory(dataDir, database, scale);
  console.log(`${scale.deployments.toLocaleString()} deployments generated (or reused) and facts built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await store.close();

  const queryTimes = new QueryTimes();
  const api = await startApi(apiConfigFromEnv({ ...process.env, DRUMBEAT_AUTH: "off", LOG_LEVEL: "silent" }, {
    port: 0, host: "127.0.0.1", store: { dataDir, database, url: undefined },
  }));
  const web = await startBuiltWeb(api.url);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  type Query = { query: string; calls: number; medianMs: number };
  const results: { page: string; medianMs: number; p95Ms: number; runs: number[]; loadedMedianMs: number; loads: number[]; queries: (Query & { at10MMs: number })[] }[] = [];
  try {
    for (const path of pagesOf(scale.deployments)) {
      const runs: number[] = [];
      const loads: number[] = [];
      for (let run = 0; run <= RUNS; run++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        await page.goto(web.url + path, { waitUntil: "load" });
        const { lcp, loaded } = await page.evaluate(() => new Promise<{ lcp: number; loaded: number }>((resolve) => {
          new PerformanceObserver((list) => {
            const entries = list.getEntries();
            const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
            resolve({ lcp: entries[entries.length - 1]!.startTime, loaded: navigation.loadEventStart });
          }).observe({ type: "largest-contentful-paint", buffered: true });
        }));
        await context.close();
        if (run > 0) { // run 0 warms up
          runs.push(Math.round(lcp));
          loads.push(Math.round(loaded));
        } else queryTimes.take();
      }
      const queries = queryTimes.take().map((q) => ({ ...q, calls: Math.round(q.calls / RUNS), at10MMs: Math.round(q.medianMs / SCALE) }));
      const row = { page: path, medianMs: percentile(runs, 0.5), p95Ms: percentile(runs, 0.95), runs, loadedMedianMs: percentile(loads, 0.5), loads, queries };
      results.push(row);
      console.log(`${path.padEnd(48)} LCP median ${row.medianMs} ms, p95 ${row.p95Ms} ms; loaded (every section in) median ${row.loadedMedianMs} ms`);
      for (const q of queries.slice(0, 4)) {
        console.log(`    ${q.query.padEnd(36)} ${q.calls}× per load, median ${q.medianMs} ms (linear to 10M: ${q.at10MMs} ms)`);
      }
    }
  } finally {
    await browser.close();
    await web.stop();
    await api.close();
  }
  const dir = new URL("./results/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`dashboard-${new Date().toISOString().replace(/[:.]/g, "-")}.json`, dir);
  writeFileSync(file, JSON.stringify({ scale: SCALE, counts: scale, runs: RUNS, results }, null, 2));
  console.log(`results: ${file.pathname}`);
} finally {
  dispose();
}
