import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { parseEventBatch, type DrumbeatEvent } from "@drumbeat/events";
import { writeEvents, type Store } from "@drumbeat/store";
import { testBackend } from "../../store/test/backend.ts";
import { openTestStore } from "../../store/test/helpers.ts";
import {
  DEFAULT_DORA_SETTINGS, definitionOf, factsState, refreshFacts, doraFailures, doraGroups, doraLeadTimes, doraSummary, doraTimeseries, type DoraSettings,
} from "../src/index.ts";

/** Monday 2026-03-02 10:00 UTC; every scenario is its own service, in the week that follows. */
const T0 = Date.parse("2026-03-02T10:00:00Z");
const H = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * H).toISOString();
const WEEK = { from: "2026-03-02T00:00:00Z", to: "2026-03-09T00:00:00Z" };
const env = { environment: "production", team: "core" };

function deploy(service: string, id: string, hours: number, extra: Record<string, unknown> = {}) {
  return { type: "deployment", ...env, service, deploymentId: id, version: `v-${id}`, status: "succeeded", occurredAt: at(hours), ...extra };
}
function incident(service: string, id: string, hours: number, status: string, extra: Record<string, unknown> = {}) {
  return { type: "incident", ...env, service, incidentId: id, status, occurredAt: at(hours), ...extra };
}
const commit = (sha: string, hours: number) => ({ sha, authoredAt: at(hours) });

const scenarios = [
  // One change-failure reason each.
  deploy("cfr-status", "s1", 0), deploy("cfr-status", "s2", 1, { status: "failed" }), deploy("cfr-status", "s3", 2),
  deploy("cfr-selfrb", "b1", 0, { status: "started" }), deploy("cfr-selfrb", "b1", 1 / 6), deploy("cfr-selfrb", "b1", 2 / 3, { status: "rolled_back" }),
  deploy("cfr-rollsback", "r1", 0), deploy("cfr-rollsback", "r2", 0.5, { kind: "rollback", rollsBack: "r1" }),
  deploy("cfr-hotfix", "h1", 0), deploy("cfr-hotfix", "h2", 2, { kind: "hotfix" }),
  deploy("cfr-caused", "c1", 0), deploy("cfr-caused", "c2", 1),
  incident("cfr-caused", "ci", 30, "opened", { causedBy: "c1" }), incident("cfr-caused", "ci", 32, "resolved"),
  deploy("cfr-window", "w1", 0), incident("cfr-window", "wi", 2, "opened"), incident("cfr-window", "wi", 3, "resolved"),
  deploy("cfr-window", "w2", 48), incident("cfr-window", "wl", 48 + 25, "opened"),
  // A rollback of a rollback.
  deploy("rbrb", "A", 0), deploy("rbrb", "B", 1, { kind: "rollback", rollsBack: "A" }), deploy("rbrb", "C", 2, { kind: "rollback", rollsBack: "B" }),
  // An incident open across the next deployment.
  deploy("span", "p1", 0), incident("span", "si", 1, "opened"), deploy("span", "p2", 2), incident("span", "si", 4, "resolved"),
  // A flag kill ends the failure before the incident is resolved; another service's kill does not.
  deploy("flag", "f1", 0), incident("flag", "fi", 1 / 6, "opened"),
  { type: "flag", ...env, service: "other", flag: "x", action: "disabled", occurredAt: at(0.2) },
  { type: "flag", ...env, service: "flag", flag: "new-checkout", action: "disabled", occurredAt: at(0.25 + 1 / 6) },
  incident("flag", "fi", 2, "resolved"),
  // Lead time: staging then production; one commit in two production deployments (and a failed one before).
  deploy("lt-env", "e0", -4, { environment: "staging", commits: [commit("aaa1", -5)] }),
  deploy("lt-env", "e1", 0, { commits: [commit("aaa1", -5)] }),
  deploy("lt-twice", "t0", -1, { status: "failed", commits: [commit("bbb1", -2)] }),
  deploy("lt-twice", "t1", 0, { commits: [commit("bbb1", -2)] }),
  deploy("lt-twice", "t2", 1, { commits: [commit("bbb1", -2), commit("bbb2", 0.5)] }),
  // Ten commits 1..10 hours old, for the 90th percentile.
  deploy("lt-p90", "q1", 0, { commits: Array.from({ length: 10 }, (_, i) => commit(`ccc${i + 1}`, -(i + 1))) }),
  // A deployment that names only its version; the push event knows the commit.
  { type: "commit", ...env, service: "lt-version", sha: "v-vv1", authoredAt: at(-3), occurredAt: at(-3) },
  deploy("lt-version", "vv1", 0),
  // Around a week boundary: Sunday 23:59 and Monday 00:01 UTC.
  deploy("week", "k1", 0, { occurredAt: "2026-03-08T23:59:00Z" }), deploy("week", "k2", 0, { occurredAt: "2026-03-09T00:01:00Z" }),
];

function parsed(items: unknown[]): DrumbeatEvent[] {
  const result = parseEventBatch(items);
  assert.ok(result.ok, JSON.stringify(result));
  return result.events;
}

describe(`DORA figures (${testBackend})`, () => {
  let store: Store;
  let dispose: () => Promise<void>;
  const settings = DEFAULT_DORA_SETTINGS;
  const summary = (service: string, range = WEEK, other: Partial<DoraSettings> = {}) =>
    doraSummary(store, { service, ...range }, { ...settings, ...other });
  const failures = async (service: string) => (await doraFailures(store, { service, ...WEEK }, settings)).failures;

  before(async () => {
    ({ store, dispose } = await openTestStore("dora"));
    // Two batches, so deployments' lifecycle events arrive as separate inserts.
    await writeEvents(store, parsed(scenarios.slice(0, 10)));
    await writeEvents(store, parsed(scenarios.slice(10)));
  });
  after(() => dispose());

  it("a failed final status fails the deployment; the next good deployment recovers it", async () => {
    const figures = await summary("cfr-status");
    assert.deepEqual(figures.changeFailureRate, { failed: 1, total: 3, rate: 1 / 3, level: "low" });
    assert.deepEqual(figures.deploymentFrequency, { count: 2, rollbacks: 0, perDay: 2 / 7, perWeek: 2, level: "high" });
    assert.deepEqual(figures.recoveryTime, { failures: 1, unrecovered: 0, medianSeconds: 3600, p90Seconds: null, level: "high" });
    const [failure] = await failures("cfr-status");
    assert.deepEqual(failure, {
      deploymentId: "s2", service: "cfr-status", team: "core", kind: "normal", status: "failed", deployedAt: at(1),
      reasons: ["failed_status"], evidence: [{ reason: "failed_status", kind: "deployment", id: "s2", title: "final status failed", url: "" }], failedAt: at(1), recoveredAt: at(2), recoveredBy: "deployment", recoverySeconds: 3600,
    });
  });

  it("a deployment rolled back by its own status recovers when the rollback completes, from when it went live", async () => {
    const [failure] = await failures("cfr-selfrb");
    assert.deepEqual([failure?.reasons, failure?.failedAt, failure?.recoveredBy, failure?.recoverySeconds],
      [["rolled_back_status"], at(1 / 6), "rollback", 1800]);
    const figures = await summary("cfr-selfrb");
    assert.deepEqual([figures.deploymentFrequency.count, figures.changeFailureRate.rate], [0, 1]);
  });

  it("a later deployment declaring rollsBack fails its target, and the rollback is rework", async () => {
    const figures = await summary("cfr-rollsback");
    assert.deepEqual(figures.changeFailureRate, { failed: 1, total: 2, rate: 0.5, level: "low" });
    assert.deepEqual(figures.reworkRate, { rework: 1, total: 2, rate: 0.5 });
    assert.deepEqual([figures.deploymentFrequency.count, figures.deploymentFrequency.rollbacks], [1, 1]);
    const list = await failures("cfr-rollsback");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.recoveredBy, f.recoverySeconds]), [["r1", ["rolled_back_by"], "rollback", 1800]]);
  });

  it("a deployment followed by a hotfix failed", async () => {
    const list = await failures("cfr-hotfix");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.recoveredBy, f.recoverySeconds]), [["h1", ["followed_by_hotfix"], "deployment", 7200]]);
    assert.deepEqual((await summary("cfr-hotfix")).reworkRate, { rework: 1, total: 2, rate: 0.5 });
  });

  it("an incident naming a deployment in causedBy fails it, from the incident's opening", async () => {
    const list = await failures("cfr-caused");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.failedAt, f.recoveredBy, f.recoverySeconds]),
      [["c1", ["incident_caused_by"], at(30), "incident_resolved", 7200]]);
  });

  it("an incident of the service opening within the window after a deployment fails it; later ones do not", async () => {
    const list = await failures("cfr-window");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.recoveredBy, f.recoverySeconds]),
      [["w1", ["incident_in_window"], "incident_resolved", 3600]]);
    const unresolved = await summary("cfr-window");
    assert.deepEqual(unresolved.changeFailureRate, { failed: 1, total: 2, rate: 0.5, level: "low" });
    const disabled = await summary("cfr-window", WEEK, { incidentWindowHours: 0 });
    assert.deepEqual(disabled.changeFailureRate, { failed: 0, total: 2, rate: 0, level: "elite" });
  });

  it("a rollback of a rollback fails both the original and the first rollback", async () => {
    const figures = await summary("rbrb");
    assert.deepEqual(figures.changeFailureRate, { failed: 2, total: 3, rate: 2 / 3, level: "low" });
    assert.deepEqual(figures.reworkRate, { rework: 2, total: 3, rate: 2 / 3 });
    assert.deepEqual([figures.deploymentFrequency.count, figures.deploymentFrequency.rollbacks], [1, 2]);
    const list = await failures("rbrb");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.recoveredAt, f.recoveredBy]), [
      ["B", ["rolled_back_by"], at(2), "rollback"],
      ["A", ["rolled_back_by"], at(1), "rollback"],
    ]);
    assert.equal(figures.recoveryTime.medianSeconds, 3600);
  });

  it("an incident spanning two deployments fails only the one before it opened", async () => {
    const list = await failures("span");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.failedAt, f.recoveredAt, f.recoveredBy]),
      [["p1", ["incident_in_window"], at(1), at(2), "deployment"]]);
    assert.deepEqual((await summary("span")).changeFailureRate, { failed: 1, total: 2, rate: 0.5, level: "low" });
  });

  it("a flag disabled for the service is a recovery", async () => {
    const [failure] = await failures("flag");
    assert.deepEqual([failure?.recoveredBy, failure?.recoverySeconds], ["flag_kill", 900]);
  });

  it("lead time counts production only, each commit once at its first successful deployment", async () => {
    assert.deepEqual((await summary("lt-env")).leadTime, { commits: 1, medianSeconds: 5 * 3600, p90Seconds: null, level: "elite" });
    const staging = await doraSummary(store, { service: "lt-env", environment: "staging", ...WEEK }, settings);
    assert.deepEqual([staging.range.environment, staging.leadTime.medianSeconds], ["staging", 3600]);
    assert.deepEqual((await summary("lt-twice")).leadTime, { commits: 2, medianSeconds: 4500, p90Seconds: null, level: "elite" });
    const { commits } = await doraLeadTimes(store, { service: "lt-twice", ...WEEK }, settings);
    assert.deepEqual(commits.map((c) => [c.sha, c.deploymentId, c.leadSeconds]), [["bbb1", "t1", 7200], ["bbb2", "t2", 1800]]);
  });

  it("gives a 90th percentile from ten commits, interpolated, and uses a version known from a push", async () => {
    // Lead times 1..10 h: median 5.5 h; p90 at rank 0.9 * 9 = 8.1, so 9 h + 0.1 h.
    assert.deepEqual((await summary("lt-p90")).leadTime, { commits: 10, medianSeconds: 19_800, p90Seconds: 32_760, level: "elite" });
    assert.deepEqual((await summary("lt-version")).leadTime.medianSeconds, 3 * 3600);
  });

  it("dates deployments in UTC with weeks starting Monday (23:59 Sunday and 00:01 Monday)", async () => {
    const weekly = await doraTimeseries(store, { service: "week", from: "2026-03-02T00:00:00Z", to: "2026-03-16T00:00:00Z" }, "week", settings);
    assert.deepEqual(weekly.points.map((p) => [p.start, p.deploymentFrequency.count]),
      [["2026-03-02T00:00:00.000Z", 1], ["2026-03-09T00:00:00.000Z", 1]]);
    const daily = await doraTimeseries(store, { service: "week", from: "2026-03-07T00:00:00Z", to: "2026-03-11T00:00:00Z" }, "day", settings);
    assert.deepEqual(daily.points.map((p) => [p.start.slice(0, 10), p.deploymentFrequency.count, p.changeFailureRate.rate]),
      [["2026-03-07", 0, null], ["2026-03-08", 1, 0], ["2026-03-09", 1, 0], ["2026-03-10", 0, null]]);
    const current = await summary("week", { from: "2026-03-09T00:00:00Z", to: "2026-03-16T00:00:00Z" });
    assert.deepEqual([current.deploymentFrequency.count, current.previous.deploymentFrequency.count], [1, 1]);
    assert.equal(current.previous.range.from, "2026-03-02T00:00:00.000Z");
  });

  it("reports an empty range and an unknown service as empty samples, not zeros", async () => {
    for (const figures of [await summary("cfr-status", { from: "2020-01-01T00:00:00Z", to: "2020-02-01T00:00:00Z" }), await summary("no-such-service")]) {
      assert.deepEqual(figures.deploymentFrequency, { count: 0, rollbacks: 0, perDay: 0, perWeek: 0, level: null });
      assert.deepEqual(figures.leadTime, { commits: 0, medianSeconds: null, p90Seconds: null, level: null });
      assert.deepEqual(figures.changeFailureRate, { failed: 0, total: 0, rate: null, level: null });
      assert.deepEqual(figures.recoveryTime, { failures: 0, unrecovered: 0, medianSeconds: null, p90Seconds: null, level: null });
      assert.deepEqual(figures.reworkRate, { rework: 0, total: 0, rate: null });
    }
  });

  it("groups by service, one row each", async () => {
    const grouped = await doraGroups(store, WEEK, "service", settings);
    const rbrb = grouped.groups.find((g) => g.key === "rbrb");
    assert.equal(rbrb?.changeFailureRate.failed, 2);
    assert.equal(new Set(grouped.groups.map((g) => g.key)).size, grouped.groups.length);
    assert.ok(grouped.groups.some((g) => g.key === "lt-p90" && g.leadTime.commits === 10));
  });

  it("changes nothing when every event is sent again", async () => {
    const before = await doraGroups(store, WEEK, "service", settings);
    const again = await writeEvents(store, parsed(scenarios));
    assert.equal(again.accepted, 0);
    // A racing writer can still land rows twice in the typed tables; the figures must not move.
    await store.insert("events", (await store.query({
      name: "test.events", sql: "SELECT id, type, occurred_at, service, environment, team, source, payload FROM events",
      rows: z.record(z.string(), z.unknown()),
    })));
    // Only the time the facts were checked moves.
    assert.deepEqual({ ...await doraGroups(store, WEEK, "service", settings), asOf: before.asOf }, before);
  });

  it("follows events that arrive after figures were read, including another service's incident naming a deployment", async () => {
    const definition = definitionOf(settings);
    await writeEvents(store, parsed([deploy("late", "L1", 0), deploy("late", "L2", 5)]));
    assert.deepEqual((await summary("late")).changeFailureRate, { failed: 0, total: 2, rate: 0, level: "elite" });
    // Without the settling margin, nothing is stale right after a refresh...
    assert.deepEqual((await factsState(store, "production", definition, 0)).stale, []);
    // ...until an incident of another service names a deployment of this one.
    await writeEvents(store, parsed([incident("frontend", "fe-1", 1, "opened", { causedBy: "L1" }), incident("frontend", "fe-1", 2, "resolved")]));
    assert.deepEqual((await factsState(store, "production", definition, 0)).stale, ["frontend", "late"]);
    await writeEvents(store, parsed([deploy("late", "L3", 6, { kind: "hotfix" })]));
    const list = await failures("late");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.recoveredBy]), [
      ["L2", ["followed_by_hotfix"], "deployment"],
      ["L1", ["incident_caused_by"], "incident_resolved"],
    ]);
    assert.deepEqual((await summary("late")).changeFailureRate, { failed: 2, total: 3, rate: 2 / 3, level: "low" });
  });

  it("skips the check for changes while this process, the embedded engine's only writer, has written nothing", async (t) => {
    if (store.ownWrites === undefined) return t.skip("a server has other writers: every request checks for changes");
    const asked: string[] = [];
    const query = store.query.bind(store);
    store.query = (spec) => (asked.push(spec.name), query(spec));
    // Without the settling margin, so that a check right after a build finds nothing stale.
    const refresh = () => refreshFacts(store, "production", settings, 0);
    try {
      await writeEvents(store, parsed([deploy("quiet", "Q1", 0)]));
      await refresh();
      const builds = await refresh();
      asked.length = 0;
      assert.deepEqual(await refresh(), builds);
      assert.equal(asked.length, 0, `asked: ${asked.join(", ")}`);
      await writeEvents(store, parsed([deploy("quiet", "Q2", 1, { status: "failed" })]));
      await refresh();
      assert.ok(asked.includes("dora.facts.changes"), "a write makes the next request check");
      assert.equal((await summary("quiet")).changeFailureRate.failed, 1);
    } finally {
      store.query = query;
    }
  });
});
