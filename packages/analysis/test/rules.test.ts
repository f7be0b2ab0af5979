import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch } from "@drumbeat/events";
import { writeEvents, type Store } from "@drumbeat/store";
import { openTestStore } from "../../store/test/helpers.ts";
import { DEFAULT_DORA_SETTINGS, doraFailures, doraLeadTimes, doraSummary } from "../src/index.ts";

/**
 * The DORA rules (sql/outcomes.ts, sql/leadTimes.ts, the range of sql/facts.ts) as a
 * table, each case at a boundary: exactly at it, a millisecond either side, each status,
 * other environments, ties in time, a failed rollback, clock skew. Flipping any
 * comparison of those rules fails at least one case. Each case is its own service.
 */
const T0 = Date.parse("2026-03-02T10:00:00Z");
const H = 3_600_000;
const WEEK = { from: "2026-03-02T00:00:00Z", to: "2026-03-09T00:00:00Z" };
const iso = (ms: number) => new Date(T0 + ms).toISOString();

type Events = (service: string) => Array<Record<string, unknown>>;
const dep = (id: string, ms: number, extra: Record<string, unknown> = {}) => (service: string) =>
  ({ type: "deployment", environment: "production", team: "core", service, deploymentId: `${service}-${id}`, version: `v-${service}-${id}`, status: "succeeded", occurredAt: iso(ms), ...extra });
const inc = (id: string, ms: number, status: string, extra: Record<string, unknown> = {}) => (service: string) =>
  ({ type: "incident", environment: "production", service, incidentId: `${service}-${id}`, status, occurredAt: iso(ms), ...extra });
const kill = (ms: number) => (service: string) => ({ type: "flag", environment: "production", service, flag: "f", action: "disabled", occurredAt: iso(ms) });
const events = (...makers: Array<(service: string) => Record<string, unknown>>): Events => (service) => makers.map((make) => make(service));

/** [deployment (without the service prefix), reasons, recovered by, recovery seconds], newest first. */
type Failure = [string, string[], string | null, number | null];
interface Case {
  name: string;
  events: Events;
  failures: Failure[];
  /** Deployments counted, when the case is about counting. */
  total?: number;
}

const CASES: Case[] = [
  // The incident window: [deployment, deployment + 24 h), and before the next deployment.
  { name: "an incident opened exactly at the deployment fails it", events: events(dep("d1", 0), inc("i", 0, "opened"), dep("d2", 48 * H)),
    failures: [["d1", ["incident_in_window"], "deployment", 48 * 3600]] },
  { name: "an incident a millisecond before a deployment fails the one before", events: events(dep("d0", -10 * H), dep("d1", 0), inc("i", -1, "opened")),
    failures: [["d0", ["incident_in_window"], "deployment", 0]] },
  { name: "an incident a millisecond inside the window's end fails the deployment", events: events(dep("d1", 0), inc("i", 24 * H - 1, "opened"), dep("d2", 48 * H)),
    failures: [["d1", ["incident_in_window"], "deployment", 24 * 3600]] },
  { name: "an incident exactly at the window's end does not", events: events(dep("d1", 0), inc("i", 24 * H, "opened"), dep("d2", 48 * H)),
    failures: [] },
  { name: "an incident at the same moment as the next deployment belongs to the next one", events: events(dep("d1", 0), dep("d2", 2 * H), inc("i", 2 * H, "opened"), dep("d3", 5 * H)),
    failures: [["d2", ["incident_in_window"], "deployment", 3 * 3600]] },
  { name: "an incident of another environment does not fail a deployment by the window", events: events(dep("d1", 0), inc("i", H, "opened", { environment: "staging" })),
    failures: [] },
  { name: "an incident resolved recovers from its opening", events: events(dep("d1", 0), inc("i", H, "opened"), inc("i", 3 * H, "resolved"), dep("d2", 10 * H)),
    failures: [["d1", ["incident_in_window"], "incident_resolved", 2 * 3600]] },
  // Statuses.
  { name: "a deployment that never finished is not counted", events: events(dep("d1", 0, { status: "started" }), dep("d2", H)), failures: [], total: 1 },
  { name: "a successful deployment that failed itself does not recover the one before", events: events(dep("d1", 0, { status: "failed" }), dep("d2", H), dep("d3", 2 * H, { kind: "hotfix" })),
    failures: [["d2", ["followed_by_hotfix"], "deployment", 3600], ["d1", ["failed_status"], "deployment", 2 * 3600]], total: 3 },
  { name: "a failed deployment recovers at the next good one, not at a failed one", events: events(dep("d1", 0, { status: "failed" }), dep("d2", H, { status: "failed" }), dep("d3", 3 * H)),
    failures: [["d2", ["failed_status"], "deployment", 2 * 3600], ["d1", ["failed_status"], "deployment", 3 * 3600]] },
  { name: "a deployment without a good one after it stays unrecovered", events: events(dep("d1", 0), dep("d2", H, { status: "failed" })),
    failures: [["d2", ["failed_status"], null, null]] },
  // Rollbacks.
  { name: "a failed rollback still fails its target but does not recover it", events: events(dep("d1", 0), dep("rb", H, { kind: "rollback", rollsBack: "rb-target", status: "failed" }), dep("d3", 3 * H)),
    failures: [["rb", ["failed_status"], "deployment", 2 * 3600], ["d1", ["rolled_back_by"], "deployment", 3 * 3600]] },
  { name: "a rollback that failed before it succeeded recovers at its success", events: events(dep("d1", 0),
    (s) => dep("rb", H, { kind: "rollback", rollsBack: `${s}-d1`, status: "succeeded" })(s), dep("d3", 5 * H)),
    failures: [["d1", ["rolled_back_by"], "rollback", 3600]] },
  // Ties in time: deployments at the same millisecond are ordered by id.
  { name: "of two deployments at the same moment, the one with the lower id comes first", events: events(dep("t1", 0), dep("t2", 0, { kind: "hotfix" }), dep("t3", H)),
    failures: [["t1", ["followed_by_hotfix"], "deployment", 0]] },
  // Flag kills: at or after the failure.
  { name: "a flag kill exactly at the failure recovers it", events: events(dep("d1", 0, { status: "failed" }), kill(0), dep("d2", H)),
    failures: [["d1", ["failed_status"], "flag_kill", 0]] },
  { name: "a flag kill a millisecond before the failure does not", events: events(kill(-1), dep("d1", 0, { status: "failed" }), dep("d2", H)),
    failures: [["d1", ["failed_status"], "deployment", 3600]] },
  { name: "a flag kill of another environment does not", events: events(dep("d1", 0, { status: "failed" }), (s) => ({ ...kill(1)(s), environment: "staging" }), dep("d2", H)),
    failures: [["d1", ["failed_status"], "deployment", 3600]] },
  // Causes named by incidents, from any environment.
  { name: "an incident of another environment naming the deployment fails it", events: events(dep("d1", 0), (s) => inc("i", 30 * H, "opened", { environment: "staging", causedBy: `${s}-d1` })(s), dep("d2", 40 * H)),
    failures: [["d1", ["incident_caused_by"], "deployment", 10 * 3600]] },
];

describe("DORA rules, counting and lead time at their boundaries (embedded engine)", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  const settings = DEFAULT_DORA_SETTINGS;
  const serviceOf = (index: number) => `rule-${index}`;

  before(async () => {
    ({ store, dispose } = await openTestStore("rules"));
    const all = CASES.flatMap((c, index) => c.events(serviceOf(index)).map((event) => {
      // A rollback's target named before the service was known.
      if (event.rollsBack === "rb-target") return { ...event, rollsBack: `${serviceOf(index)}-d1` };
      return event;
    }));
    const parsed = parseEventBatch(all);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    await writeEvents(store, parsed.events);
  });
  after(() => dispose());

  for (const [index, c] of CASES.entries()) {
    it(c.name, async () => {
      const service = serviceOf(index);
      const { failures } = await doraFailures(store, { service, ...WEEK }, settings);
      assert.deepEqual(failures.map((f) => [f.deploymentId.slice(service.length + 1), f.reasons, f.recoveredBy, f.recoverySeconds]), c.failures);
      const summary = await doraSummary(store, { service, ...WEEK }, settings);
      assert.equal(summary.changeFailureRate.failed, c.failures.length);
      if (c.total !== undefined) assert.equal(summary.changeFailureRate.total, c.total);
    });
  }

  const write = async (...makers: Array<(service: string) => Record<string, unknown>>) => {
    const parsed = parseEventBatch(makers.map((make) => make("edges")));
    assert.ok(parsed.ok, JSON.stringify(parsed));
    await writeEvents(store, parsed.events);
  };

  // The range and lead time, on service `edges`.
  before(async () => {
    const from = Date.parse(WEEK.from) - T0;
    const to = Date.parse(WEEK.to) - T0;
    await write(
      dep("at-from", from), dep("before-from", from - 1), dep("at-to", to), dep("before-to", to - 1),
      dep("rollback", from + H, { kind: "rollback", rollsBack: "edges-at-from" }),
      dep("failed", from + 2 * H, { status: "failed" }),
      // Lead time: authored an hour after its deployment (clock skew) counts as zero; a
      // second before as one; a commit shipped only to staging not at all.
      dep("skew", from + 3 * H, { commits: [{ sha: "skew1", authoredAt: iso(from + 4 * H) }, { sha: "sec1", authoredAt: iso(from + 3 * H - 1000) }] }),
      dep("staging", from + 4 * H, { environment: "staging", commits: [{ sha: "stag1", authoredAt: iso(from) }] }),
      // Shipped first by a failed deployment: counted at the later successful one.
      dep("first-failed", from + 5 * H, { status: "failed", commits: [{ sha: "late1", authoredAt: iso(from + 4 * H) }] }),
      dep("then-ok", from + 6 * H, { commits: [{ sha: "late1", authoredAt: iso(from + 4 * H) }] }),
      // Two deployments at one moment carrying one commit: the lower id is its first.
      dep("tie-b", from + 7 * H, { commits: [{ sha: "tie1", authoredAt: iso(from + 6 * H) }] }),
      dep("tie-a", from + 7 * H, { commits: [{ sha: "tie1", authoredAt: iso(from + 6 * H) }] }),
    );
  });

  it("counts a deployment exactly at `from`, not one a millisecond before it (previous range) nor one exactly at `to`", async () => {
    const summary = await doraSummary(store, { service: "edges", ...WEEK }, settings);
    // at-from, before-to, skew, then-ok, tie-a, tie-b; the rollback apart; failed ones are not deployments.
    assert.deepEqual([summary.deploymentFrequency.count, summary.deploymentFrequency.rollbacks], [6, 1]);
    assert.deepEqual([summary.changeFailureRate.total, summary.changeFailureRate.failed], [9, 3]);
    assert.deepEqual([summary.previous.deploymentFrequency.count, summary.previous.changeFailureRate.total], [1, 1]);
    assert.deepEqual(summary.reworkRate, { rework: 1, total: 9, rate: 1 / 9 });
  });

  it("measures each commit from its authoring to its first successful production deployment, never below zero", async () => {
    const { commits } = await doraLeadTimes(store, { service: "edges", ...WEEK }, settings);
    assert.deepEqual(commits.map((c) => [c.sha, c.deploymentId, c.leadSeconds]).sort(), [
      ["late1", "edges-then-ok", 2 * 3600],
      ["sec1", "edges-skew", 1],
      ["skew1", "edges-skew", 0],
      ["tie1", "edges-tie-a", 3600],
    ]);
  });
});
