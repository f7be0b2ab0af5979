/**
 * What each dashboard page's store queries read, in rows, over the synthetic history of
 * bench/dora/generate.ts: the rows the engine's index analysis leaves to read
 * (`EXPLAIN ESTIMATE`: after partition, primary-key and skip-index pruning), summed over
 * the tables a query reads. Run it at two scales: a query whose rows grow with the
 * history scans it; one that stays flat reads by key, range or rollup. The timings are
 * bench/dashboard.ts's; this shows why they do or do not grow.
 *
 *   BENCH_SCALE=0.1 npm run bench:dashboard-reads
 *   BENCH_DATA_DIR=/tmp/x BENCH_SCALE=0.1 ...   # keep the generated history there, or reuse it
 */
import { z } from "zod";
import {
  DEFAULT_CORRELATION_SETTINGS, DEFAULT_DORA_SETTINGS, DEFAULT_USECASE_SETTINGS, deploymentUsecases, doraFailures, doraGroups, doraLeadTimes,
  doraSummary, doraTimeseries, impactOf, listUsecases, usecaseMatrix,
} from "@drumbeat/analysis";
import { getDeployment, listDeployments, listIncidents, listServices, type QuerySpec, type Store } from "@drumbeat/store";
import { scaleOf } from "./dora/generate.ts";
import { benchDataDir, openHistory } from "./history.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const { dataDir, dispose } = benchDataDir("drumbeat-bench-reads-");
/** The dashboard's 90 days (bench/dashboard.ts). */
const RANGE = { from: "2025-10-03T00:00:00.000Z", to: "2026-01-01T00:00:00.000Z" };
const settings = DEFAULT_DORA_SETTINGS;
const FIRST_SERVICE = { service: "svc-0", environment: "production" };

/** The store, with every query estimated first; `reads` collects name and rows. */
function estimating(store: Store, reads: { query: string; rows: number }[]): Store {
  const estimate = async <T>(spec: QuerySpec<T>) => {
    const tables = await store.query({ name: "estimate", sql: `EXPLAIN ESTIMATE ${spec.sql}`, params: spec.params, rows: z.object({ rows: z.number() }) });
    reads.push({ query: spec.name, rows: tables.reduce((sum, table) => sum + table.rows, 0) });
  };
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === "query") return async <T>(spec: QuerySpec<T>) => (await estimate(spec), target.query(spec));
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

try {
  const scale = scaleOf(SCALE);
  const store = await openHistory(dataDir, "bench_dashboard", scale);
  try {
    const last = `d${scale.deployments - 1}`;
    const pages: [string, (s: Store) => Promise<unknown>][] = [
      ["every page: the filters' catalog", (s) => listServices(s)],
      ["/ (overview)", (s) => Promise.all([doraSummary(s, RANGE, settings), doraTimeseries(s, RANGE, "week", settings), doraGroups(s, RANGE, "service", settings)])],
      ["/?service=svc-7", (s) => Promise.all([doraSummary(s, { ...RANGE, service: "svc-7" }, settings), doraTimeseries(s, { ...RANGE, service: "svc-7" }, "week", settings)])],
      ["/deployments", (s) => listDeployments(s, { limit: 25 })],
      ["/deployments?service=svc-7", (s) => listDeployments(s, { service: "svc-7", limit: 25 })],
      [`/deployments/${last}`, async (s) => {
        const deployment = (await getDeployment(s, last))!;
        await deploymentUsecases(s, { service: deployment.service, environment: deployment.environment }, deployment, DEFAULT_USECASE_SETTINGS);
        await impactOf(s, last, DEFAULT_CORRELATION_SETTINGS);
      }],
      ["/failures", (s) => doraFailures(s, { ...RANGE, limit: 200 }, settings)],
      ["/lead-times", (s) => doraLeadTimes(s, { ...RANGE, limit: 50 }, settings)],
      ["/incidents", (s) => listIncidents(s, { ...RANGE })],
      ["/usecases (its first service)", (s) => Promise.all([listUsecases(s, FIRST_SERVICE), usecaseMatrix(s, FIRST_SERVICE, 30)])],
    ];
    console.log(`${scale.deployments.toLocaleString()} deployments: rows each store query reads (EXPLAIN ESTIMATE)`);
    for (const [page, load] of pages) {
      const reads: { query: string; rows: number }[] = [];
      await load(estimating(store, reads));
      console.log(page);
      const byQuery = new Map<string, number>();
      for (const { query, rows } of reads) byQuery.set(query, Math.max(byQuery.get(query) ?? 0, rows));
      for (const [query, rows] of [...byQuery].sort((a, b) => b[1] - a[1])) console.log(`    ${query.padEnd(36)} ${rows.toLocaleString()}`);
    }
  } finally {
    await store.close();
  }
} finally {
  dispose();
}
