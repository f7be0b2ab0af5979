/**
 * Use-case benchmark: the matrix, the attribution of one service (GET /api/v1/usecases),
 * a deployment's broken/fixed use cases and one use case's history, timed through the
 * real HTTP API on the embedded engine; and the import of a 5,000-case JUnit report.
 *
 *   BENCH_SCALE=0.01 npm run bench:usecases   # 2,000 use cases x 200 deployments (400k results)
 *   npm run bench:usecases                    # 2,000 x 20,000 (40M results): the target
 *
 * One service and environment hold every deployment. Outcomes are generated in SQL:
 * mostly passes, every 50th use case broken by one deployment and fixed a few later
 * (each deployment carries three commits), every 97th flaky; and a second service with one
 * use case whose results name only their version. BENCH_RUNS timed runs per
 * case (default 20) after one warm-up; p50 and p95 in ms, of the wall time and of the
 * CPU time the process spent (the API and the embedded engine run in it): on a shared,
 * loaded machine the wall time mostly measures the wait for a core, the CPU time does not.
 * Under each case, the store queries one call ran (from the store's spans, queryTimes.ts).
 * BENCH_DATA_DIR keeps the generated results there and reuses them on the next run (the
 * same data before and after a change; the deployments keep their dates, so the latest
 * ones stay the latest).
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { dateTimeParam } from "@drumbeat/store";
import { apiConfigFromEnv, startApi } from "../apps/api/src/index.ts";
import { percentile } from "./percentile.ts";
import { QueryTimes } from "./queryTimes.ts";
import { backgroundWorkDone } from "./background.ts";
import { benchDataDir } from "./history.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const USECASES = 2_000;
const DEPLOYMENTS = Math.max(40, Math.round(20_000 * SCALE));
const SCOPE = "service=bench&environment=production";

/**
 * Deployment n starts n hours after {start} (the last one an hour ago: the list reads the
 * deployments up to now); results land ten minutes after it.
 */
const GENERATE = [
  `INSERT INTO deployment_events (event_id, deployment_id, occurred_at, service, environment, version, status, kind)
   SELECT concat('e', toString(number)), concat('d', toString(number)), {start:DateTime64(3, 'UTC')} + toIntervalHour(number),
     'bench', 'production', concat('v', toString(number)), 'succeeded', 'normal'
   FROM numbers({deployments:UInt32})`,
  `INSERT INTO deployment_commits (environment, service, deployment_id, sha, authored_at, author, message)
   SELECT 'production', 'bench', concat('d', toString(intDiv(number, 3))), concat('c', toString(number)),
     {start:DateTime64(3, 'UTC')} + toIntervalMinute(intDiv(number, 3) * 60 - 30), 'dev', 'change'
   FROM numbers({deployments:UInt32} * 3)`,
  `INSERT INTO usecase_results (event_id, occurred_at, service, environment, deployment_id, usecase, suite, status, duration_ms)
   SELECT concat('r', toString(number)), {start:DateTime64(3, 'UTC')} + toIntervalMinute(10) + toIntervalHour(dep),
     'bench', 'production', concat('d', toString(dep)), concat('use case ', toString(uc)), 'smoke',
     multiIf(
       uc % 97 = 0, if(cityHash64(uc, dep) % 3 = 0, 'fail', 'pass'),
       uc % 50 = 0 AND (dep + uc) % 400 BETWEEN 200 AND 203, 'fail',
       'pass'),
     100
   FROM (SELECT number, intDiv(number, ${USECASES}) AS dep, number % ${USECASES} AS uc FROM numbers({deployments:UInt32} * ${USECASES}))`,
  // A second service whose one use case's results name only the version (as a JUnit report
  // posted with --version does): each is linked to its deployment by version on every read.
  `INSERT INTO deployment_events (event_id, deployment_id, occurred_at, service, environment, version, status, kind)
   SELECT concat('ve', toString(number)), concat('vd', toString(number)), {start:DateTime64(3, 'UTC')} + toIntervalHour(number),
     'by-version', 'production', concat('v', toString(number)), 'succeeded', 'normal'
   FROM numbers({deployments:UInt32})`,
  `INSERT INTO usecase_results (event_id, occurred_at, service, environment, deployment_id, version, usecase, suite, status, duration_ms)
   SELECT concat('vr', toString(number)), {start:DateTime64(3, 'UTC')} + toIntervalMinute(10) + toIntervalHour(number),
     'by-version', 'production', '', concat('v', toString(number)), 'checkout', 'smoke', if(number % 100 = 50, 'fail', 'pass'), 100
   FROM numbers({deployments:UInt32})`,
];

function junitReport(cases: number): string {
  const testcases = Array.from({ length: cases }, (_, i) =>
    `<testcase name="case ${i}" classname="bench" time="0.01">${i % 100 === 0 ? '<failure message="boom">trace</failure>' : ""}</testcase>`);
  return `<?xml version="1.0"?><testsuites><testsuite name="smoke">${testcases.join("")}</testsuite></testsuites>`;
}

async function main() {
  const { dataDir, dispose } = benchDataDir("drumbeat-bench-usecases-");
  const fresh = !existsSync(dataDir);
  const queryTimes = new QueryTimes();
  const api = await startApi(apiConfigFromEnv({ ...process.env, DRUMBEAT_AUTH: "off", LOG_LEVEL: "silent", NODE_ENV: "production" }, {
    port: 0, host: "127.0.0.1", store: { dataDir, database: "bench_usecases" },
  }));
  try {
    const started = Date.now();
    const hour = 3_600_000;
    const start = dateTimeParam(new Date((Math.floor(Date.now() / hour) - DEPLOYMENTS) * hour).toISOString());
    if (fresh) for (const sql of GENERATE) await api.store.command("bench.generate", sql, { deployments: DEPLOYMENTS, start });
    await backgroundWorkDone(api.store, "usecase_%");
    console.log(`scale ${SCALE}: ${USECASES} use cases x ${DEPLOYMENTS} deployments = ${(USECASES * DEPLOYMENTS).toLocaleString("en")} results, ${fresh ? "generated" : "reused"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const get = async (path: string) => {
      const response = await fetch(api.url + path);
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const middle = `d${Math.floor(DEPLOYMENTS / 2)}`;
    const cases: [string, () => Promise<unknown>][] = [
      ["GET /usecases/matrix?limit=30", () => get(`/api/v1/usecases/matrix?${SCOPE}&limit=30`)],
      ["GET /usecases (attribution, one service)", () => get(`/api/v1/usecases?${SCOPE}`)],
      ["GET /deployments/:id (broke/fixed)", () => get(`/api/v1/deployments/${middle}`)],
      ["GET /usecases/:usecase/history", () => get(`/api/v1/usecases/use%20case%2050/history?${SCOPE}`)],
      ["GET /usecases/:usecase/history (by version)", () => get("/api/v1/usecases/checkout/history?service=by-version&environment=production")],
    ];
    const report = junitReport(5_000);
    let junitRun = 0;
    cases.push(["POST /usecases/junit (5,000 cases)", async () => {
      // Its own service: a reused store's timed reads never see the reports of earlier runs.
      const response = await fetch(`${api.url}/api/v1/usecases/junit?service=junit&environment=production&version=v${junitRun++}`, {
        method: "POST", headers: { "content-type": "application/xml" }, body: report,
      });
      if (response.status !== 202) throw new Error(`junit: ${response.status} ${await response.text()}`);
    }]);
    for (const [name, run] of cases) {
      await run();
      queryTimes.take();
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const c = process.cpuUsage();
        await run();
        times.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu.push((used.user + used.system) / 1000);
      }
      console.log(`${name.padEnd(42)} p50 ${percentile(times, 0.5).toFixed(0).padStart(6)} ms   p95 ${percentile(times, 0.95).toFixed(0).padStart(6)} ms   cpu p50 ${percentile(cpu, 0.5).toFixed(0).padStart(6)} ms   p95 ${percentile(cpu, 0.95).toFixed(0).padStart(6)} ms`);
      for (const q of queryTimes.take()) console.log(`    ${q.query.padEnd(38)} ${String(Math.round(q.calls / RUNS)).padStart(2)} x median ${q.medianMs} ms`);
    }
    console.log(`load average (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(", ")}`);
  } finally {
    await api.close();
    dispose();
  }
}

await main();
