/**
 * DORA query benchmark: /dora and /dora/timeseries (the functions those routes call) on
 * the embedded engine over a synthetic 3-year history, against the same definitions as
 * SQL on PostgreSQL over the same rows, in one run.
 *
 *   npm run bench:dora                    # 10M deployments, 30M commits, 200k incidents, 500 services
 *   BENCH_SCALE=0.1 npm run bench:dora    # a tenth of that
 *
 * BENCH_RUNS (default 20) timed runs per case on ClickHouse, BENCH_PG_RUNS (default 5) on
 * PostgreSQL, after one warm-up each; BENCH_PG_RUNS=0 times ClickHouse alone. A PostgreSQL
 * statement that runs past BENCH_PG_TIMEOUT seconds (default 120) is cancelled and its
 * case reported as at least that long. Results go to bench/results/.
 */
import { mkdirSync, mkdtempSync, chmodSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_DORA_SETTINGS, doraLeadTimes, doraSummary, doraTimeseries, refreshFacts } from "@drumbeat/analysis";
import { migrate, openStore, type Store } from "@drumbeat/store";
import { END, EXPORTS, exportCsv, generate, scaleOf } from "./dora/generate.ts";
import { leadTimesSql, outcomesSql, type PgScope } from "./dora/pgsql.ts";
import { loadCsv, startPostgres, timeQueries, type Postgres } from "./dora/postgres.ts";
import { percentile } from "./percentile.ts";
import { backgroundWorkDone } from "./background.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PG_RUNS = Number(process.env.BENCH_PG_RUNS ?? 5);
const PG_TIMEOUT_SECONDS = Number(process.env.BENCH_PG_TIMEOUT ?? 120);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 55432);
const RANGE_DAYS = 90;
const SERVICE = "svc-7";

const to = new Date(END.replace(" ", "T") + "Z");
const from = new Date(to.getTime() - RANGE_DAYS * 86_400_000);
const previousFrom = new Date(from.getTime() - RANGE_DAYS * 86_400_000);
const settings = DEFAULT_DORA_SETTINGS;
/** DRUMBEAT_DORA_BUILD_WAIT_MS's default. */
const FIRST_REQUEST_WAIT_MS = 5_000;

interface Case {
  name: string;
  run: (store: Store) => Promise<unknown>;
  /** The same figures as PostgreSQL statements; cases without are timed on ClickHouse only. */
  pg?: PgScope;
}

const pgScope = (service: string, bucket: PgScope["bucket"]): PgScope => ({
  environment: "production", service, team: "", scanFrom: bucket ? from : previousFrom, from, to,
  windowSeconds: settings.incidentWindowHours * 3600, bucket,
});
const range = { from: from.toISOString(), to: to.toISOString() };
const CASES: Case[] = [
  { name: "/dora (all services)", run: (s) => doraSummary(s, range, settings), pg: pgScope("", "") },
  { name: `/dora (service=${SERVICE})`, run: (s) => doraSummary(s, { ...range, service: SERVICE }, settings), pg: pgScope(SERVICE, "") },
  { name: "/dora/timeseries week (all)", run: (s) => doraTimeseries(s, range, "week", settings), pg: pgScope("", "week") },
  { name: `/dora/timeseries week (service=${SERVICE})`, run: (s) => doraTimeseries(s, { ...range, service: SERVICE }, "week", settings), pg: pgScope(SERVICE, "week") },
  { name: `/dora/lead-times breakdown (service=${SERVICE})`, run: (s) => doraLeadTimes(s, { ...range, service: SERVICE }, settings) },
];
const PG_CASES = CASES.filter((c): c is Case & { pg: PgScope } => c.pg !== undefined);

async function timed<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function timeClickHouse(store: Store): Promise<Record<string, number[]>> {
  const clickhouse: Record<string, number[]> = {};
  for (const c of CASES) {
    await c.run(store);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await c.run(store);
      times.push(performance.now() - started);
    }
    clickhouse[c.name] = times;
    console.log(`clickhouse ${c.name}: p50 ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms`);
  }
  return clickhouse;
}

interface PgCaseTimes {
  /** Per run, the time of both statements of the case. */
  ms: number[];
  /** A statement hit BENCH_PG_TIMEOUT: the times are lower bounds. */
  timedOut: boolean;
}

/** The same rows in PostgreSQL, the same definitions as SQL; per case, the time of both statements. */
async function timePostgres(store: Store, work: string): Promise<Record<string, PgCaseTimes>> {
  const pg = startPostgres(join(work, "pg"), PG_PORT);
  try {
    const csv = join(work, "csv");
    mkdirSync(csv);
    chmodSync(csv, 0o777);
    await timed("export CSV", () => exportCsv(store, csv));
    await timed("load PostgreSQL", () => loadCsv(pg, csv, Object.keys(EXPORTS)));
    // The two engines must agree on the figures, or the comparison means nothing.
    await assertSameFigures(store, pg, PG_CASES[1]!);
    const statements = PG_CASES.flatMap((c) => [outcomesSql(c.pg), leadTimesSql(c.pg)]);
    const pgTimes = await timed("time PostgreSQL", () => timeQueries(pg, work, statements, PG_RUNS + 1, PG_TIMEOUT_SECONDS));
    const postgres: Record<string, PgCaseTimes> = {};
    PG_CASES.forEach((c, i) => {
      // A case is both of its statements; the first run of each is the warm-up.
      const outcomes = pgTimes[2 * i]!, leads = pgTimes[2 * i + 1]!;
      postgres[c.name] = {
        ms: outcomes.ms.slice(1).map((t, r) => t + leads.ms[r + 1]!),
        timedOut: outcomes.timedOut || leads.timedOut,
      };
    });
    return postgres;
  } finally {
    pg.stop();
  }
}

/** Compares one /dora case's figures, both periods, as PostgreSQL and ClickHouse compute them. */
async function assertSameFigures(store: Store, pg: Postgres, c: Case & { pg: PgScope }): Promise<void> {
  const summary = await doraSummary(store, { ...range, ...(c.pg.service && { service: c.pg.service }) }, settings);
  const figures = { current: summary, previous: summary.previous };
  const output = pg.psql(`\\pset format unaligned\n\\pset tuples_only on\n${outcomesSql(c.pg)};\n${leadTimesSql(c.pg)};`);
  for (const [, period, ...values] of output.trim().split("\n").map((line) => line.split("|"))) {
    const f = figures[period as keyof typeof figures];
    const clickhouse = values.length === 8
      ? [f.deploymentFrequency.count, f.deploymentFrequency.rollbacks, f.changeFailureRate.total, f.changeFailureRate.failed,
        f.reworkRate.rework, f.recoveryTime.failures, f.recoveryTime.medianSeconds, f.recoveryTime.p90Seconds]
      : [f.leadTime.commits, f.leadTime.medianSeconds, f.leadTime.p90Seconds];
    const postgres = values.map(Number);
    if (clickhouse.some((value, i) => value === null || Math.abs(value - postgres[i]!) > 1e-6 * Math.max(1, Math.abs(value)))) {
      throw new Error(`${c.name}, ${period}: PostgreSQL ${postgres.join(", ")} but ClickHouse ${clickhouse.join(", ")}`);
    }
  }
  console.log(`${c.name}: PostgreSQL and ClickHouse agree on every count, median and p90 of both periods`);
}

async function main() {
  const scale = scaleOf(SCALE);
  const work = mkdtempSync(join(tmpdir(), "drumbeat-bench-dora-"));
  chmodSync(work, 0o777);
  const open = () => openStore({ dataDir: join(work, "chdb"), database: "bench_dora" });
  let store = await open();
  try {
    await migrate(store);
    console.log(`scale ${SCALE}: ${scale.deployments} deployments, ${scale.deployments * 3} commits, ${scale.incidents} incidents, ${scale.pullRequests} pull requests, 500 services`);
    await timed("generate in ClickHouse", () => generate(store, scale));
    // The synthetic bulk load is not how events arrive: time a store opened afresh, as a
    // restarted server would be.
    await store.close();
    store = await open();
    // Once after a bulk load, in the background; afterwards each query rebuilds only the
    // services that changed. The first request answers within the API's default wait.
    const buildStarted = performance.now();
    const first = await doraSummary(store, range, { ...settings, buildWaitMs: FIRST_REQUEST_WAIT_MS });
    const firstRequestSeconds = (performance.now() - buildStarted) / 1000;
    console.log(`first /dora after the bulk load: ${firstRequestSeconds.toFixed(1)} s (upToDate ${first.upToDate}, asOf ${first.asOf})`);
    await refreshFacts(store, "production", settings);
    const factsBuildSeconds = (performance.now() - buildStarted) / 1000;
    console.log(`build DORA facts (500 services, full history): ${factsBuildSeconds.toFixed(1)} s`);

    // Latency in steady state, not while the engine cleans up after the build.
    await timed("wait for the engine's background work", () => backgroundWorkDone(store, "dora_%"));
    const clickhouse = await timeClickHouse(store);
    const summary = await doraSummary(store, range, settings);
    console.log(`\nClickHouse current range: deployments ${summary.deploymentFrequency.count}, total ${summary.changeFailureRate.total}, failed ${summary.changeFailureRate.failed}, ` +
      `recoveries ${summary.recoveryTime.failures} (median ${summary.recoveryTime.medianSeconds} s), commits ${summary.leadTime.commits} (median ${summary.leadTime.medianSeconds} s)`);
    const postgres = PG_RUNS > 0 ? await timePostgres(store, work) : undefined;

    const rows = CASES.map((c) => {
      const ch = clickhouse[c.name]!, pgt = postgres?.[c.name];
      return {
        case: c.name,
        clickhouseP50: percentile(ch, 0.5), clickhouseP95: percentile(ch, 0.95),
        ...(pgt && {
          postgresTimedOut: pgt.timedOut,
          postgresP50: percentile(pgt.ms, 0.5), postgresP95: percentile(pgt.ms, 0.95),
          ratioP50: percentile(pgt.ms, 0.5) / percentile(ch, 0.5), ratioP95: percentile(pgt.ms, 0.95) / percentile(ch, 0.95),
        }),
      };
    });
    console.log(`\nrange ${range.from} .. ${range.to} (${RANGE_DAYS} days; /dora also reads the previous ${RANGE_DAYS})`);
    const ms = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(0));
    const times = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(1));
    console.table(rows.map((r) => {
      // PostgreSQL stopped at the timeout: its time and the ratio are at least this.
      const atLeast = r.postgresTimedOut ? ">= " : "";
      return {
        case: r.case, "CH p50 ms": ms(r.clickhouseP50), "CH p95 ms": ms(r.clickhouseP95),
        "PG p50 ms": atLeast + ms(r.postgresP50), "PG p95 ms": atLeast + ms(r.postgresP95),
        "PG/CH p50": atLeast + times(r.ratioP50), "PG/CH p95": atLeast + times(r.ratioP95),
      };
    }));
    const results = new URL("./results/", import.meta.url);
    mkdirSync(results, { recursive: true });
    const file = new URL(`dora-${new Date().toISOString().replace(/[:.]/g, "-")}.json`, results);
    writeFileSync(file, JSON.stringify({ scale: SCALE, counts: scale, firstRequestSeconds, factsBuildSeconds, runs: RUNS, pgRuns: PG_RUNS, pgTimeoutSeconds: PG_TIMEOUT_SECONDS, range, rows, clickhouse, postgres, summary }, null, 2));
    console.log(`results: ${file.pathname}`);
  } finally {
    await store.close();
    if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

await main();
