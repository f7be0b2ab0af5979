import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestApi, type TestApi } from "./helpers.ts";

/** Monday 2026-03-02 00:00 UTC; each view's history is its own services, in the two weeks that follow. */
const T0 = Date.parse("2026-03-02T00:00:00Z");
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const RANGE = "from=2026-03-02T00:00:00Z&to=2026-03-16T00:00:00Z";

const commits = (id: string, n: number) => Array.from({ length: n }, (_, i) => ({ sha: `${id}c${i}`.padEnd(8, "0"), authoredAt: at(0) }));
function deploy(service: string, team: string, id: string, hours: number, extra: Record<string, unknown> = {}) {
  return { type: "deployment", environment: "production", service, team, deploymentId: id, version: `v-${id}`, status: "succeeded", occurredAt: at(hours), ...extra };
}

/**
 * Batch size: team "bigfail" ships 1-commit and 50-commit batches alternately, every hour;
 * 8 of its 10 big batches fail (each recovered by the next deployment, an hour later).
 * Team "steady" fails 2 of 10 in each size. Team "edges" has one deployment at each
 * boundary of the buckets, and one that sent no commits.
 */
function batchHistory() {
  const events: unknown[] = [];
  for (let k = 0; k < 10; k++) {
    events.push(deploy("bf", "bigfail", `bf-s${k}`, 2 * k, { commits: commits(`bfs${k}`, 1) }));
    events.push(deploy("bf", "bigfail", `bf-l${k}`, 2 * k + 1, { commits: commits(`bfl${k}`, 50), ...(k < 8 && { status: "failed" }) }));
    events.push(deploy("st", "steady", `st-s${k}`, 2 * k, { commits: commits(`sts${k}`, 1), ...(k < 2 && { status: "failed" }) }));
    events.push(deploy("st", "steady", `st-l${k}`, 2 * k + 1, { commits: commits(`stl${k}`, 50), ...(k < 2 && { status: "failed" }) }));
  }
  [1, 2, 3, 4, 10, 11, 40, 41].forEach((n, i) => events.push(deploy("ed", "edges", `ed-${n}`, i, { commits: commits(`ed${n}`, n) })));
  events.push(deploy("ed", "edges", "ed-none", 9));
  return events;
}

/** Release window: two deployments a minute apart either side of midnight in Kolkata (UTC+05:30), Friday to Saturday. */
const windowHistory = () => [
  deploy("win", "w", "win-fri", 0, { occurredAt: "2026-03-06T18:29:00Z" }),
  deploy("win", "w", "win-sat", 0, { occurredAt: "2026-03-06T18:30:00Z", status: "failed" }),
];

/**
 * Build once, promote: v1's artifact goes dev → staging → production; v2's goes straight
 * to production; v3 ran in staging as one artifact and in production as another (a
 * rebuild); v4 names no artifact and is followed by its version; a rollback is left out;
 * v5 ran in dev as one artifact, then in staging and production as another (a rebuild
 * that was promoted from staging).
 */
function promotionHistory() {
  const env = (environment: string, id: string, hours: number, extra: Record<string, unknown>) => deploy("promo", "p", id, hours, { environment, ...extra });
  return [
    env("dev", "p1-dev", 0, { version: "v1", artifact: "img@sha256:a1" }),
    env("staging", "p1-stg", 1, { version: "v1", artifact: "img@sha256:a1" }),
    env("production", "p1", 3, { version: "v1", artifact: "img@sha256:a1" }),
    env("production", "p2", 5, { version: "v2", artifact: "img@sha256:b2" }),
    env("staging", "p3-stg", 10, { version: "v3", artifact: "img@sha256:c3" }),
    env("production", "p3", 12, { version: "v3", artifact: "img@sha256:c3-rebuilt", status: "failed" }),
    env("staging", "p4-stg", 20, { version: "v4" }),
    env("production", "p4", 22, { version: "v4" }),
    env("production", "p5", 23, { version: "v1", artifact: "img@sha256:a1", kind: "rollback", rollsBack: "p4" }),
    env("dev", "p6-dev", 28, { version: "v5", artifact: "img@sha256:e5-dev" }),
    env("staging", "p6-stg", 30, { version: "v5", artifact: "img@sha256:e5" }),
    env("production", "p6", 32, { version: "v5", artifact: "img@sha256:e5" }),
    // After p2 reached production, its artifact goes to staging: p2 was still straight to production.
    env("staging", "p2-stg-late", 6, { version: "v2", artifact: "img@sha256:b2" }),
    // v7 failed in staging: not tested there, so straight to production.
    env("staging", "p7-stg", 40, { version: "v7", artifact: "img@sha256:g7", status: "failed" }),
    env("production", "p7", 42, { version: "v7", artifact: "img@sha256:g7" }),
  ];
}

/**
 * Strategies: a canary that went 1 → 5 → 25 and was aborted (rolled back) after baking 30
 * minutes at 25%; one that went all the way to 100; one rolled back after reaching 100
 * (not an abort); two rolling deployments, one failed; a rolling one whose change a flag
 * released half an hour later.
 */
function strategyHistory() {
  const m = 1 / 60;
  const canary = (id: string, hours: number, weight: number, status = "started") =>
    deploy("cs", "c", id, hours, { strategy: "canary", canaryWeight: weight, status, version: `v-${id}` });
  return [
    canary("c1", 0, 1), canary("c1", 10 * m, 5), canary("c1", 20 * m, 25),
    deploy("cs", "c", "c1", 50 * m, { strategy: "canary", status: "rolled_back" }),
    canary("c2", 2, 1), canary("c2", 2 + 10 * m, 5), canary("c2", 2 + 20 * m, 25), canary("c2", 2 + 30 * m, 50), canary("c2", 2 + 40 * m, 100, "succeeded"),
    canary("c3", 3, 50), canary("c3", 3 + 10 * m, 100, "succeeded"), deploy("cs", "c", "c3", 3.5, { strategy: "canary", status: "rolled_back" }),
    deploy("cs", "c", "r1", 4, { strategy: "rolling" }),
    deploy("cs", "c", "r2", 5, { strategy: "rolling", status: "failed" }),
    deploy("cs", "c", "r3", 6, { strategy: "rolling" }),
    { type: "flag", flag: "new-search", action: "enabled", service: "cs", environment: "production", occurredAt: at(6.5) },
    deploy("cs", "c", "r4", 8, { strategy: "rolling" }),
  ];
}

describe("GET /api/v1/insights", () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi("insights", { cfrIncidentWindowHours: 0 });
    const posted = await api.call("/api/v1/events", {
      method: "POST", json: [...batchHistory(), ...windowHistory(), ...promotionHistory(), ...strategyHistory()],
    });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
  });
  after(() => api.dispose());

  describe("batch size", () => {
    it("counts each bucket at its boundaries and leaves deployments without commits out", async () => {
      const { status, body } = await api.call(`/api/v1/insights/batch-size?${RANGE}&service=ed`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body.buckets.map((b: any) => [b.bucket, b.changeFailureRate.total]), [["1", 1], ["2-3", 2], ["4-10", 2], ["11-40", 2], [">40", 1]]);
      assert.equal(body.withoutCommits, 1);
      assert.equal(body.verdict.verdict, "too_little_data");
    });

    it("says a team whose big batches fail more does so surely, and one whose do not does not", async () => {
      const { status, body } = await api.call(`/api/v1/insights/batch-size?${RANGE}&groupBy=team`);
      assert.equal(status, 200, JSON.stringify(body));
      const team = (key: string) => body.groups.find((g: any) => g.key === key);
      const bigfail = team("bigfail"), steady = team("steady");
      const large = bigfail.buckets.find((b: any) => b.bucket === ">40");
      assert.deepEqual([large.changeFailureRate.failed, large.changeFailureRate.total, large.changeFailureRate.rate], [8, 10, 0.8]);
      // Wilson 95% of 8/10 and 0/10.
      assert.ok(Math.abs(large.changeFailureRate.low - 0.4902) < 1e-3 && Math.abs(large.changeFailureRate.high - 0.9433) < 1e-3, JSON.stringify(large));
      assert.ok(Math.abs(bigfail.buckets[0].changeFailureRate.high - 0.2775) < 1e-3);
      // Each failure recovered by the next deployment an hour later; deployments an hour apart.
      assert.deepEqual(large.recovery, { recoveries: 8, medianSeconds: 3600 });
      assert.equal(large.medianSecondsSincePrevious, 3600);
      assert.deepEqual([bigfail.verdict.verdict, bigfail.verdict.confidence, bigfail.verdict.intervalsOverlap], ["bigger_fail_more", "strong", false]);
      assert.ok(bigfail.verdict.trend.p < 0.001 && bigfail.verdict.trend.z > 3, JSON.stringify(bigfail.verdict));
      assert.match(bigfail.verdict.sentence, /^Here, bigger batches clearly fail more often: 80% .* of 10 deployments of more than 40 commits failed, against 0% .* of 10 single-commit deployments/);
      assert.deepEqual([steady.verdict.verdict, steady.verdict.confidence, steady.verdict.intervalsOverlap, steady.verdict.trend.z], ["no_clear_difference", "weak", true, 0]);
      assert.match(steady.verdict.sentence, /^Here, the data does not show bigger batches failing more or less often/);
    });

    it("gives the median batch per week, empty weeks included", async () => {
      const { body } = await api.call(`/api/v1/insights/batch-size?${RANGE}&service=bf`);
      assert.deepEqual(body.weeks.map((w: any) => [w.start.slice(0, 10), w.deployments, w.medianCommits]), [["2026-03-02", 20, 25.5], ["2026-03-09", 0, null]]);
    });
  });

  describe("release window", () => {
    it("puts each deployment in the day and hour of the chosen zone, every cell included", async () => {
      const kolkata = await api.call(`/api/v1/insights/release-window?${RANGE}&service=win&timeZone=Asia/Kolkata`);
      assert.equal(kolkata.status, 200);
      assert.equal(kolkata.body.cells.length, 168);
      const cell = (body: any, day: number, hour: number) => body.cells.find((c: any) => c.dayOfWeek === day && c.hour === hour).changeFailureRate;
      // 18:29 UTC is Friday 23:59 in Kolkata; 18:30 UTC is Saturday 00:00.
      assert.deepEqual(cell(kolkata.body, 5, 23), { failed: 0, total: 1, rate: 0, low: 0, high: cell(kolkata.body, 5, 23).high });
      assert.deepEqual([cell(kolkata.body, 6, 0).failed, cell(kolkata.body, 6, 0).total], [1, 1]);
      assert.deepEqual(cell(kolkata.body, 1, 9), { failed: 0, total: 0, rate: null, low: null, high: null });
      const utc = await api.call(`/api/v1/insights/release-window?${RANGE}&service=win`);
      assert.equal(utc.body.timeZone, "UTC");
      assert.deepEqual([cell(utc.body, 5, 18).failed, cell(utc.body, 5, 18).total], [1, 2]);
      assert.deepEqual(utc.body.days.find((d: any) => d.dayOfWeek === 5).changeFailureRate.total, 2);
      assert.equal(utc.body.fridayAfternoon.friday.total, 0);
      assert.match(utc.body.fridayAfternoon.sentence, /^No deployments on Friday afternoons/);
    });

    it("refuses a time zone that is not an IANA name, naming the field", async () => {
      for (const zone of ["Mars/Olympus", "+05:30", "UTC;DROP"]) {
        const { status, body } = await api.call(`/api/v1/insights/release-window?${RANGE}&timeZone=${encodeURIComponent(zone)}`);
        assert.equal(status, 400, zone);
        assert.ok(JSON.stringify(body).includes("timeZone"), JSON.stringify(body));
      }
    });
  });

  describe("build once, promote", () => {
    it("follows each artifact across environments and flags straight-to-production and rebuilt deployments", async () => {
      const { status, body } = await api.call(`/api/v1/insights/promotion?${RANGE}&service=promo`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body.services, [{
        service: "promo", deployments: 6, promotedUnchanged: 2, promotedShare: 1 / 3, straightToProduction: 3, rebuilt: 2,
        // v1 took 3 h from dev, v4 and v5 2 h from staging.
        medianSecondsToProduction: 7200,
      }]);
      assert.deepEqual(body.paths.map((p: any) => [p.path.join(">"), p.deployments]), [["production", 3], ["staging>production", 2], ["dev>staging>production", 1]]);
      assert.deepEqual(body.stages, [
        { environment: "dev", deployments: 1, medianSecondsBeforePromotion: 3600 },
        { environment: "staging", deployments: 3, medianSecondsBeforePromotion: 7200 },
      ]);
      assert.deepEqual(body.flagged.map((f: any) => [f.deploymentId, f.straightToProduction, f.rebuilt, f.failed]),
        [["p7", true, false, false], ["p6", false, true, false], ["p3", true, true, true], ["p2", true, false, false]]);
      assert.deepEqual(body.flagged[1].path, [{ environment: "staging", at: "2026-03-03T06:00:00.000Z" }]);
      assert.equal(body.flagged[1].at, "2026-03-03T08:00:00.000Z");
    });
  });

  describe("strategies", () => {
    it("compares strategies and flag releases, and shows where the aborted canary stopped", async () => {
      const { status, body } = await api.call(`/api/v1/insights/strategies?${RANGE}&service=cs`);
      assert.equal(status, 200, JSON.stringify(body));
      const strategy = (name: string) => body.strategies.find((s: any) => s.strategy === name);
      assert.deepEqual([strategy("canary").changeFailureRate.failed, strategy("canary").changeFailureRate.total, strategy("canary").rollbacks, strategy("canary").rollbackShare], [2, 3, 2, 1]);
      assert.deepEqual([strategy("rolling").changeFailureRate.failed, strategy("rolling").changeFailureRate.total, strategy("rolling").rollbacks], [1, 4, 0]);
      assert.deepEqual([body.flagReleased.changeFailureRate.total, body.notFlagReleased.changeFailureRate.total], [1, 6]);
      const { canary } = body;
      assert.equal(canary.canaries, 3);
      assert.deepEqual(canary.steps.map((s: any) => [s.weight, s.reached, s.abortedHere]), [[1, 2, 0], [5, 2, 0], [25, 2, 1], [50, 2, 0], [100, 2, 0]]);
      // 25%: the aborted one baked 30 min, the other 10 min.
      assert.equal(canary.steps.find((s: any) => s.weight === 25).medianBakeSeconds, 1200);
      assert.deepEqual(canary.sequences, [{ weights: [1, 5, 25], canaries: 1 }, { weights: [1, 5, 25, 50, 100], canaries: 1 }, { weights: [50, 100], canaries: 1 }]);
      assert.deepEqual(canary.aborted, { count: 1, stoppedAt: [{ weight: 25, canaries: 1 }] });
      // The aborted one reached 25%, the one rolled back after its full rollout all of it.
      assert.deepEqual(canary.exposure, { failedCanaries: 2, meanLargestWeight: 62.5, fullRollout: 100 });
    });
  });

  it("lists the insights in OpenAPI", async () => {
    const { body } = await api.call("/api/openapi.json");
    for (const path of ["batch-size", "release-window", "promotion", "strategies"]) assert.ok(body.paths[`/api/v1/insights/${path}`], path);
  });
});
