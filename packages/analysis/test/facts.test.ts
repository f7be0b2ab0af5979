import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { parseEventBatch, type DrumbeatEvent } from "@drumbeat/events";
import { writeEvents, type Store } from "@drumbeat/store";
import { openTestStore } from "../../store/test/helpers.ts";
import {
  DEFAULT_CORRELATION_SETTINGS, DEFAULT_DORA_SETTINGS, buildProgress, definitionOf, doraSummary, factsState, impactOf, mapPointInputs, refreshFacts,
  type DoraSettings,
} from "../src/index.ts";
import { LEAD_TIMES_CTE } from "../src/dora/sql/leadTimes.ts";
import { OUTCOMES_CTE } from "../src/dora/sql/outcomes.ts";

/**
 * The facts' life cycle: which events make a service's facts stale, how builds are
 * numbered, how a request reads one build while others are written, and background
 * builds. Each concurrency case is the reproducer of a bug the previous design had.
 */
const WEEK = { from: "2026-03-02T00:00:00Z", to: "2026-03-09T00:00:00Z" };
const at = (hours: number) => new Date(Date.parse("2026-03-02T10:00:00Z") + hours * 3_600_000).toISOString();
const settings: DoraSettings = DEFAULT_DORA_SETTINGS;
const definition = definitionOf(settings);

function deploy(service: string, id: string, hours: number, extra: Record<string, unknown> = {}) {
  return { type: "deployment", environment: "production", team: "core", service, deploymentId: id, version: `v-${id}`, status: "succeeded", occurredAt: at(hours), ...extra };
}
function incident(service: string, id: string, hours: number, status: string, extra: Record<string, unknown> = {}) {
  return { type: "incident", environment: "production", service, incidentId: id, status, occurredAt: at(hours), ...extra };
}
function parsed(items: unknown[]): DrumbeatEvent[] {
  const result = parseEventBatch(items);
  assert.ok(result.ok, JSON.stringify(result));
  return result.events;
}

/**
 * The tables the rules read: every `FROM x` / `JOIN x` of their SQL that is not one of
 * their own steps, nor a function (`ARRAY JOIN range(...)`).
 */
function tablesTheRulesRead(): string[] {
  const sql = `${OUTCOMES_CTE}\n${LEAD_TIMES_CTE}`;
  const steps = new Set([...sql.matchAll(/(\w+) AS \(/g)].map((m) => m[1]));
  const named = [...sql.matchAll(/\b(?:FROM|JOIN)\s+(\w+)\b(?!\s*\()/g)].map((m) => m[1]!);
  return [...new Set(named.filter((name) => !steps.has(name)))].sort();
}

/**
 * For each table the rules read, events that reach it and change a figure of service
 * `s`, in the production environment or elsewhere when the rules look there too.
 */
const INPUTS: Record<string, Array<{ name: string; events: (s: string) => unknown[] }>> = {
  deployments: [{ name: "a deployment", events: (s) => [deploy(s, `${s}-2`, 2)] }],
  deployment_events: [{ name: "a lifecycle event of a deployment", events: (s) => [deploy(s, `${s}-1`, 3, { status: "rolled_back" })] }],
  deployment_commits: [{ name: "a deployment's commits", events: (s) => [deploy(s, `${s}-3`, 4, { commits: [{ sha: `${s}aaa`, authoredAt: at(1) }] })] }],
  commits: [{ name: "a pushed commit (stored for every environment)", events: (s) => [{
    type: "commit", environment: "ci", service: s, sha: `v-${s}-1`, repository: "acme/x", authoredAt: at(-1), occurredAt: at(-1),
  }] }],
  pull_request_events: [{ name: "a pull request (stored for every environment)", events: (s) => [{
    type: "pull_request", environment: "ci", service: s, repository: "acme/x", number: 7, status: "merged", title: "t", commits: [`${s}aaa`], occurredAt: at(-0.5),
  }] }],
  flag_events: [{ name: "a flag kill", events: (s) => [{ type: "flag", environment: "production", service: s, flag: "f", action: "disabled", occurredAt: at(0.5) }] }],
  incident_events: [
    { name: "an incident of the service", events: (s) => [incident(s, `${s}-i`, 0.5, "opened")] },
    { name: "another service's incident in another environment naming the deployment", events: (s) => [
      incident(`${s}-other`, `${s}-x`, 0.5, "opened", { environment: "staging", causedBy: `${s}-1` })] },
  ],
};

/**
 * Tables the rules read that no event reaches: a deployment's stored impact (read with
 * DRUMBEAT_CFR_COUNT_REGRESSIONS). A verdict that becomes or stops being a regression
 * makes the service stale (impactOf notes it).
 */
const NON_EVENT_INPUTS = ["deployment_impact_builds", "deployment_impacts"];

describe("DORA facts: staleness, builds and reads (embedded engine)", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  const stale = async () => (await factsState(store, "production", definition, 0)).stale;

  before(async () => ({ store, dispose } = await openTestStore("facts")));
  after(() => dispose());

  it("has a case for every table the rules read, so the change check cannot drift from the rules", () => {
    assert.deepEqual(tablesTheRulesRead(), [...Object.keys(INPUTS), ...NON_EVENT_INPUTS].sort());
  });

  it(`${NON_EVENT_INPUTS.join(", ")}: a deployment's impact turning into a regression makes the service stale`, async () => {
    const minute = 60_000;
    const t0 = Math.floor((Date.now() - 3 * 3_600_000) / minute) * minute;
    const iso = (minutes: number) => new Date(t0 + minutes * minute).toISOString();
    const service = "in-impacts";
    await writeEvents(store, parsed([deploy(service, "M1", 0, { status: "started", occurredAt: iso(60) }), deploy(service, "M1", 0, { occurredAt: iso(62) })]));
    const errors = (first: number, level: number) => Array.from({ length: 30 }, (_, i) => ({
      service, environment: "production", metric: "http.errors", at: iso(first + i + 0.5), value: level * (1 + i / 100),
    }));
    await store.insert("metric_points", mapPointInputs([...errors(30, 1), ...errors(62, 1)]).points);
    await impactOf(store, "M1", DEFAULT_CORRELATION_SETTINGS, t0 + 3 * 3_600_000);
    await refreshFacts(store, "production", settings, 0);
    assert.ok(!(await stale()).includes(service), "current after a build");
    await store.insert("metric_points", mapPointInputs(errors(62, 19)).points);
    assert.equal((await impactOf(store, "M1", DEFAULT_CORRELATION_SETTINGS, t0 + 3 * 3_600_000))!.verdict, "regressed");
    assert.ok((await stale()).includes(service), `${service} stale after its verdict became a regression`);
    await refreshFacts(store, "production", settings, 0);
    assert.ok(!(await stale()).includes(service), "current again after the next build");
  });

  for (const [table, cases] of Object.entries(INPUTS)) {
    for (const [index, input] of cases.entries()) {
      it(`${table}: ${input.name} makes the service stale`, async () => {
        const service = `in-${table}-${index}`.replaceAll("_", "-");
        await writeEvents(store, parsed([deploy(service, `${service}-1`, 0)]));
        await refreshFacts(store, "production", settings, 0);
        assert.ok(!(await stale()).includes(service), "current after a build");
        await writeEvents(store, parsed(input.events(service)));
        assert.ok((await stale()).includes(service), `${service} stale after ${input.name}`);
        await refreshFacts(store, "production", settings, 0);
        assert.ok(!(await stale()).includes(service), "current again after the next build");
      });
    }
  }

  it("follows an incident in another environment that names a production deployment, to its resolution", async () => {
    await writeEvents(store, parsed([deploy("xenv", "X1", 0), deploy("xenv", "X2", 10)]));
    await refreshFacts(store, "production", settings, 0);
    await writeEvents(store, parsed([incident("edge", "E1", 1, "opened", { environment: "staging", causedBy: "X1" })]));
    assert.deepEqual((await doraSummary(store, { service: "xenv", ...WEEK }, settings)).changeFailureRate.failed, 1);
    // The resolution does not repeat the cause: it still changes X1's recovery.
    await writeEvents(store, parsed([incident("edge", "E1", 3, "resolved", { environment: "staging" })]));
    assert.ok((await stale()).includes("xenv"));
    const figures = await doraSummary(store, { service: "xenv", ...WEEK }, settings);
    assert.deepEqual([figures.recoveryTime.failures, figures.recoveryTime.medianSeconds], [1, 2 * 3600]);
  });

  it("numbers builds from the store: a build recorded by a replica whose clock ran an hour ahead is still replaced", async () => {
    await writeEvents(store, parsed([deploy("skew", "K1", 0)]));
    await refreshFacts(store, "production", settings, 0);
    // What a replica with its clock an hour ahead recorded under per-process clock numbering.
    const ahead = (Date.now() + 3_600_000) * 1_000;
    await store.command("test.skewedBuild", `INSERT INTO dora_builds (environment, definition, service, build, built_at)
      VALUES ('production', {definition:String}, 'skew', {build:UInt64}, now64(3, 'UTC'))`, { definition, build: ahead });
    await writeEvents(store, parsed([deploy("skew", "K2", 1, { status: "failed" })]));
    const figures = await doraSummary(store, { service: "skew", ...WEEK }, settings);
    assert.deepEqual([figures.changeFailureRate.failed, figures.changeFailureRate.total], [1, 2]);
    const [last] = await store.query({
      name: "test.lastBuild", sql: "SELECT max(build) AS build FROM dora_builds WHERE service = 'skew'", rows: z.object({ build: z.number() }),
    });
    assert.ok(last!.build > ahead, `${last!.build} > ${ahead}`);
  });

  it("reads one build from start to end when the service is rebuilt between the two queries of a request", async () => {
    await writeEvents(store, parsed([deploy("race", "R1", 0, { commits: [{ sha: "rrr1", authoredAt: at(-2) }] })]));
    await refreshFacts(store, "production", settings, 0);
    const query = store.query.bind(store);
    let raced = false;
    // Between the outcomes and the lead-time query: a new event, a rebuild, and the deletion
    // of the build the request started on.
    store.query = async (spec) => {
      const rows = await query(spec);
      if (spec.name === "dora.outcomes" && !raced) {
        raced = true;
        await writeEvents(store, parsed([deploy("race", "R2", 1, { commits: [{ sha: "rrr2", authoredAt: at(0) }] })]));
        await refreshFacts(store, "production", settings, 0);
      }
      return rows;
    };
    try {
      const figures = await doraSummary(store, { service: "race", ...WEEK }, settings);
      assert.ok(raced);
      // One build: both deployments and both commits (the newer build), not one deployment and no commit.
      assert.deepEqual([figures.deploymentFrequency.count, figures.leadTime.commits], [2, 2]);
    } finally {
      store.query = query;
    }
  });

  it("answers from the last complete build while a build runs in the background, and says so", async () => {
    await writeEvents(store, parsed([deploy("bulk", "B1", 0)]));
    const first = await doraSummary(store, { service: "bulk", ...WEEK }, settings);
    assert.deepEqual([first.deploymentFrequency.count, first.upToDate], [1, true]);
    // Hold the next build until the answer is in.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const command = store.command.bind(store);
    store.command = async (name, sql, params) => {
      if (name === "dora.facts.buildDeployments") await held;
      return command(name, sql, params);
    };
    try {
      await writeEvents(store, parsed([deploy("bulk", "B2", 1), deploy("bulk", "B3", 2)]));
      const answer = await doraSummary(store, { service: "bulk", ...WEEK }, { ...settings, buildWaitMs: 0 });
      assert.deepEqual([answer.deploymentFrequency.count, answer.upToDate], [1, false]);
      assert.ok(answer.asOf !== null && answer.asOf <= new Date().toISOString() && answer.asOf >= first.asOf!, `${answer.asOf} after ${first.asOf}`);
      const progress = buildProgress(store).find((p) => p.environment === "production")!;
      assert.deepEqual([progress.state, progress.built, progress.services > 0], ["building", 0, true]);
    } finally {
      release();
      store.command = command;
    }
    const fresh = await doraSummary(store, { service: "bulk", ...WEEK }, settings);
    assert.deepEqual([fresh.deploymentFrequency.count, fresh.upToDate], [3, true]);
    const progress = buildProgress(store).find((p) => p.environment === "production")!;
    assert.deepEqual([progress.state, progress.error], ["idle", null]);
    assert.equal(progress.built, progress.services);
  });

  it("answers asked together share the build running for them; one asked after a new event waits for the next", async () => {
    const command = store.command.bind(store);
    let builds = 0;
    let release = () => {};
    /** Holds every build from now until `release` (then none). */
    const hold = () => {
      const held = new Promise<void>((resolve) => (release = resolve));
      store.command = async (name, sql, params) => {
        if (name === "dora.facts.buildDeployments") {
          builds += 1;
          await held;
        }
        return command(name, sql, params);
      };
    };
    const ask = () => doraSummary(store, { service: "together", ...WEEK }, settings);
    const settled = () => new Promise((resolve) => setTimeout(resolve, 100));
    try {
      await writeEvents(store, parsed([deploy("together", "T1", 0), deploy("together", "T2", 1)]));
      hold();
      const together = [ask()];
      await settled(); // its build has started, and is held
      together.push(ask());
      await settled();
      release();
      const both = await Promise.all(together);
      assert.deepEqual(both.map((answer) => [answer.deploymentFrequency.count, answer.upToDate]), [[2, true], [2, true]]);
      // Nothing was written between the two: a second round would only have rebuilt the same
      // events. Only a store that counts its own writes (the embedded engine) can know that;
      // on a server, each request still queues a round of its own.
      if (store.ownWrites !== undefined) assert.equal(builds, 1);

      await writeEvents(store, parsed([deploy("together", "T3", 2)]));
      hold();
      const first = ask();
      await settled();
      // Stored while that build is held, after it chose what to build: an answer asked after
      // it must wait for a round that builds it.
      await writeEvents(store, parsed([deploy("together-later", "L1", 3)]));
      const after = doraSummary(store, { service: "together-later", ...WEEK }, settings);
      await settled();
      release();
      const answer = await after;
      assert.deepEqual([answer.deploymentFrequency.count, answer.upToDate, (await first).upToDate], [1, true, true]);
    } finally {
      store.command = command;
      release();
    }
  });

  it("keeps one build of each service once a newer one is recorded", async () => {
    const rows = await store.query({
      name: "test.builds",
      sql: "SELECT service, uniqExact(build) AS builds FROM dora_deployment_facts WHERE service IN ('race', 'bulk', 'skew') GROUP BY service ORDER BY service",
      rows: z.object({ service: z.string(), builds: z.number() }),
    });
    assert.deepEqual(rows, [{ service: "bulk", builds: 1 }, { service: "race", builds: 1 }, { service: "skew", builds: 1 }]);
  });
});
