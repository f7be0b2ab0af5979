import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch, type DrumbeatEvent } from "@drumbeat/events";
import { writeEvents, type Store } from "@drumbeat/store";
import { openTestStore } from "../../store/test/helpers.ts";
import { DEFAULT_DORA_SETTINGS, doraFailures, doraSummary, type DoraSettings } from "../src/index.ts";

/**
 * Hand-worked histories for one cause per incident, rollbacks detected from versions, the
 * evidence of each failure and the data-quality counts (docs/dora.md). Every scenario is
 * its own service, in the week after Monday 2026-03-02 10:00 UTC.
 */
const T0 = Date.parse("2026-03-02T10:00:00Z");
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const WEEK = { from: "2026-03-02T00:00:00Z", to: "2026-03-09T00:00:00Z" };
const env = { environment: "production", team: "core" };

function deploy(service: string, id: string, hours: number, extra: Record<string, unknown> = {}) {
  return { type: "deployment", ...env, service, deploymentId: id, version: `v-${id}`, status: "succeeded", occurredAt: at(hours), ...extra };
}
function incident(service: string, id: string, hours: number, status: string, extra: Record<string, unknown> = {}) {
  return { type: "incident", ...env, service, incidentId: id, status, occurredAt: at(hours), ...extra };
}
const commits = [{ sha: "abcd1", authoredAt: at(-1) }];

const scenarios = [
  // One incident naming the earlier of two deployments: before, the window rule also failed the later one.
  deploy("one-cause", "d1", 0, { commits }), deploy("one-cause", "d2", 1, { commits }),
  incident("one-cause", "INC-1", 2, "opened", { causedBy: "d1", title: "Card payments failing", url: "https://pd.example/INC-1" }),
  incident("one-cause", "INC-1", 4, "resolved"),
  // A causedBy naming no deployment, and one naming a deployment that started after the incident opened:
  // both are ignored, and the window rule places the incident.
  deploy("cause-unknown", "u1", 0, { commits }), incident("cause-unknown", "INC-2", 1, "opened", { causedBy: "no-such-deployment" }),
  deploy("cause-late", "g1", 0, { commits }), incident("cause-late", "INC-3", 1, "opened", { causedBy: "g2" }),
  deploy("cause-late", "g2", 2, { status: "started", commits }), deploy("cause-late", "g2", 2.5, { commits }),
  // A rollback and an incident on the same deployment: one failure, one recovery.
  deploy("rb-incident", "a1", 0, { commits }), incident("rb-incident", "INC-4", 0.25, "opened", { causedBy: "a1" }),
  deploy("rb-incident", "a2", 0.5, { kind: "rollback", rollsBack: "a1", version: "v-a0" }), incident("rb-incident", "INC-4", 1, "resolved"),
  // A hotfix after a rollback fixes what the rollback undid: the rollback did not fail.
  deploy("rb-hotfix", "h1", 0), deploy("rb-hotfix", "h2", 1, { kind: "rollback", rollsBack: "h1" }), deploy("rb-hotfix", "h3", 2, { kind: "hotfix" }),
  // A flag kill and a resolve for the same failure: one recovery, the earlier.
  deploy("kill-resolve", "k1", 0), incident("kill-resolve", "INC-5", 0.25, "opened"),
  { type: "flag", ...env, service: "kill-resolve", flag: "new-flow", action: "disabled", occurredAt: at(0.5) },
  incident("kill-resolve", "INC-5", 1, "resolved"),
  // Versions v1, v2, v3, v1 again (a rollback of v2 and v3), then v1 once more (a plain redeploy).
  deploy("redeploy", "x1", 0, { version: "v1" }), deploy("redeploy", "x2", 1, { version: "v2" }),
  deploy("redeploy", "x3", 2, { version: "v3", url: "https://ci.example/x3" }), deploy("redeploy", "x4", 3, { version: "v1", url: "https://ci.example/x4" }),
  deploy("redeploy", "x5", 4, { version: "v1" }),
  // Nested: v1, v2, v3, back to v2 (rolls back v3), then back to v1 (rolls back v2, v3 and the first rollback).
  deploy("nested", "n1", 0, { version: "v1" }), deploy("nested", "n2", 1, { version: "v2" }), deploy("nested", "n3", 2, { version: "v3" }),
  deploy("nested", "n4", 3, { version: "v2" }), deploy("nested", "n5", 4, { version: "v1" }),
  // Events dated in the future are counted by no range that ends now.
  deploy("future", "f1", 0, { commits }), incident("future", "INC-6", 0, "opened", { occurredAt: "2099-01-01T00:00:00Z" }),
];

function parsed(items: unknown[]): DrumbeatEvent[] {
  const result = parseEventBatch(items);
  assert.ok(result.ok, JSON.stringify(result));
  return result.events;
}

describe("DORA evidence, one cause per incident, rollbacks from versions", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  const settings = DEFAULT_DORA_SETTINGS;
  const summary = (service: string, other: Partial<DoraSettings> = {}) => doraSummary(store, { service, ...WEEK }, { ...settings, ...other });
  const failures = async (service: string, other: Partial<DoraSettings> = {}) =>
    (await doraFailures(store, { service, ...WEEK }, { ...settings, ...other })).failures;

  before(async () => {
    ({ store, dispose } = await openTestStore("dora_evidence"));
    await writeEvents(store, parsed(scenarios));
  });
  after(() => dispose());

  it("an incident naming its deployment fails that one only, and its recovery counts once", async () => {
    const list = await failures("one-cause");
    assert.deepEqual(list, [{
      deploymentId: "d1", service: "one-cause", team: "core", kind: "normal", status: "succeeded", deployedAt: at(0),
      reasons: ["incident_caused_by"],
      evidence: [{ reason: "incident_caused_by", kind: "incident", id: "INC-1", title: "Card payments failing", url: "https://pd.example/INC-1" }],
      failedAt: at(2), recoveredAt: at(4), recoveredBy: "incident_resolved", recoverySeconds: 7200,
    }]);
    const figures = await summary("one-cause");
    assert.deepEqual(figures.changeFailureRate, { failed: 1, total: 2, rate: 0.5, level: "low" });
    assert.deepEqual(figures.recoveryTime, { failures: 1, unrecovered: 0, medianSeconds: 7200, p90Seconds: null, level: "high" });
    assert.deepEqual(figures.dataQuality, { causeUnknown: 0, causeAfterOpening: 0, deploymentsWithoutCommits: 0, eventsInFuture: 0 });
  });

  it("ignores a causedBy naming no deployment, places the incident by the window rule and says so", async () => {
    const list = await failures("cause-unknown");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.evidence.map((e) => e.id)]), [["u1", ["incident_in_window"], ["INC-2"]]]);
    assert.equal((await summary("cause-unknown")).dataQuality.causeUnknown, 1);
  });

  it("ignores a causedBy naming a deployment that started after the incident opened", async () => {
    const list = await failures("cause-late");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons]), [["g1", ["incident_in_window"]]]);
    const figures = await summary("cause-late");
    assert.deepEqual([figures.changeFailureRate.failed, figures.dataQuality.causeAfterOpening, figures.dataQuality.causeUnknown], [1, 1, 0]);
  });

  it("a rollback and an incident on the same deployment are one failure with one recovery, and both are evidence", async () => {
    const list = await failures("rb-incident");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.failedAt, f.recoveredBy, f.recoverySeconds]),
      [["a1", ["rolled_back_by", "incident_caused_by"], at(0), "rollback", 1800]]);
    assert.deepEqual(list[0]!.evidence.map((e) => [e.reason, e.kind, e.id]),
      [["rolled_back_by", "deployment", "a2"], ["incident_caused_by", "incident", "INC-4"]]);
    const figures = await summary("rb-incident");
    assert.deepEqual([figures.changeFailureRate.failed, figures.recoveryTime.failures], [1, 1]);
  });

  it("a hotfix after a rollback does not fail the rollback too", async () => {
    const list = await failures("rb-hotfix");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons]), [["h1", ["rolled_back_by"]]]);
    const figures = await summary("rb-hotfix");
    assert.deepEqual(figures.changeFailureRate, { failed: 1, total: 3, rate: 1 / 3, level: "low" });
    assert.deepEqual(figures.reworkRate, { rework: 2, total: 3, rate: 2 / 3 });
  });

  it("a flag kill and a resolve for the same failure are one recovery, the earlier", async () => {
    const figures = await summary("kill-resolve");
    assert.deepEqual(figures.recoveryTime, { failures: 1, unrecovered: 0, medianSeconds: 900, p90Seconds: null, level: "elite" });
    assert.deepEqual((await failures("kill-resolve")).map((f) => f.recoveredBy), ["flag_kill"]);
  });

  it("a redeploy of an earlier version rolls back the deployments in between; the same version again does not", async () => {
    const list = await failures("redeploy");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.recoveredAt, f.recoveredBy, f.recoverySeconds]), [
      ["x3", ["rolled_back_by_redeploy"], at(3), "rollback", 3600],
      ["x2", ["rolled_back_by_redeploy"], at(3), "rollback", 7200],
    ]);
    assert.deepEqual(list[0]!.evidence, [
      { reason: "rolled_back_by_redeploy", kind: "deployment", id: "x4", title: "rolled back by redeploying v1", url: "https://ci.example/x4" },
    ]);
    const figures = await summary("redeploy");
    assert.deepEqual(figures.deploymentFrequency, { count: 4, rollbacks: 1, perDay: 4 / 7, perWeek: 4, level: "high" });
    assert.deepEqual(figures.changeFailureRate, { failed: 2, total: 5, rate: 0.4, level: "low" });
    assert.deepEqual(figures.reworkRate, { rework: 1, total: 5, rate: 0.2 });
  });

  it("nested redeploys: each deployment is rolled back by the first redeploy covering it", async () => {
    const list = await failures("nested");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.evidence.map((e) => e.id), f.recoveredAt]), [
      ["n4", ["n5"], at(4)],
      ["n3", ["n4"], at(3)],
      ["n2", ["n5"], at(4)],
    ]);
  });

  it("DRUMBEAT_DETECT_ROLLBACKS=off counts declared rollbacks only", async () => {
    const off = { detectRollbacks: false };
    assert.deepEqual(await failures("redeploy", off), []);
    const figures = await summary("redeploy", off);
    assert.deepEqual([figures.deploymentFrequency.count, figures.deploymentFrequency.rollbacks, figures.reworkRate.rework], [5, 0, 0]);
  });

  it("counts deployments without commits in the range, and events dated after now whatever the range", async () => {
    assert.deepEqual((await summary("redeploy")).dataQuality,
      { causeUnknown: 0, causeAfterOpening: 0, deploymentsWithoutCommits: 5, eventsInFuture: 0 });
    assert.deepEqual((await summary("future")).dataQuality,
      { causeUnknown: 0, causeAfterOpening: 0, deploymentsWithoutCommits: 0, eventsInFuture: 1 });
    const all = await doraSummary(store, WEEK, settings);
    assert.deepEqual(all.dataQuality, { causeUnknown: 1, causeAfterOpening: 1, deploymentsWithoutCommits: 15, eventsInFuture: 1 });
  });
});
