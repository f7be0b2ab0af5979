import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch, type DrumbeatEvent } from "@drumbeat/events";
import { writeEvents, type Store } from "@drumbeat/store";
import { openTestStore } from "../../store/test/helpers.ts";
import { DEFAULT_USECASE_SETTINGS, HISTORY_RUNS, deploymentUsecases, listUsecases, usecaseHistory, usecaseMatrix, walkRuns, type Run } from "../src/index.ts";

const T0 = Date.parse("2026-03-02T10:00:00Z");
const H = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * H).toISOString();
const environment = "production";

/** Deployment n of a service at hour n, version v<n>, carrying the given commit shas. */
function deploy(service: string, n: number, shas: string[] = [`c${n}0000`], extra: Record<string, unknown> = {}) {
  return {
    type: "deployment", environment, service, deploymentId: `${service}-${n}`, version: `v${n}`, status: "succeeded", occurredAt: at(n),
    commits: shas.map((sha, i) => ({ sha, authoredAt: at(n - 0.5 + i / 100), author: "ana", message: `change ${sha}` })), ...extra,
  };
}
/** A result of `usecase` for deployment n, a few minutes after it. */
function result(service: string, n: number, status: "pass" | "fail" | "skip", usecase = "pay with card", extra: Record<string, unknown> = {}) {
  return {
    type: "usecase", environment, service, deploymentId: `${service}-${n}`, usecase, suite: "smoke", status,
    occurredAt: at(n + 0.1), ...(status === "fail" ? { error: `failed in ${n}` } : {}), ...extra,
  };
}
/** A service whose one use case has the given outcomes in deployments 1, 2, … */
function history(service: string, outcomes: string, usecase = "pay with card") {
  return [...outcomes].flatMap((o, i) => [deploy(service, i + 1), result(service, i + 1, o === "p" ? "pass" : "fail", usecase)]);
}

function parsed(items: unknown[]): DrumbeatEvent[] {
  const result = parseEventBatch(items);
  assert.ok(result.ok, JSON.stringify(result));
  return result.events;
}

const scenarios = [
  ...history("pinpoint", "ppf"),
  deploy("five", 1), result("five", 1, "pass"),
  deploy("five", 2, ["a1111", "a2222", "a3333", "a4444", "a5555"]), result("five", 2, "fail"),
  ...history("bfb", "pfpf"),
  ...history("alternating", "pfpfpfpf"),
  // Passed and failed within one deployment (a retry that passed), otherwise stable.
  deploy("mixed", 1), result("mixed", 1, "pass"), deploy("mixed", 2), result("mixed", 2, "fail"), result("mixed", 2, "pass", undefined, { durationMs: 9 }),
  deploy("mixed", 3), result("mixed", 3, "fail"),
  // v1 passes, v2 breaks it, a rollback to v1 fixes it.
  deploy("rollback", 1), result("rollback", 1, "pass"), deploy("rollback", 2), result("rollback", 2, "fail"),
  deploy("rollback", 3, [], { version: "v1", kind: "rollback", rollsBack: "rollback-2" }), result("rollback", 3, "pass"),
  // Stable for twelve deployments, then broken: attribution reads only the runs at changes.
  ...history("long", "ppppppppppppf"),
  // A use case added in deployment 3: one that fails from its first run, one that passes then breaks.
  ...history("added", "pppp"),
  result("added", 3, "fail", "new and failing"), result("added", 4, "fail", "new and failing"),
  result("added", 3, "pass", "new then broken"), result("added", 4, "fail", "new then broken"),
  // Long histories read through a short lookback.
  ...history("old-break", "pffffff"), ...history("old-break", "fffffff", "never passed"), ...history("old-fix", "pffffffp"),
  // Results that name only a version; deployments that name only a version, commits from pushes.
  { type: "commit", environment, service: "pushed", sha: "aaaa0001", authoredAt: at(0.5), occurredAt: at(0.5) },
  { type: "commit", environment, service: "pushed", sha: "bbbb0002", authoredAt: at(1.2), occurredAt: at(1.2) },
  { type: "commit", environment, service: "pushed", sha: "bbbb0003", authoredAt: at(1.5), occurredAt: at(1.5) },
  deploy("pushed", 1, [], { version: "aaaa0001" }), deploy("pushed", 2, [], { version: "bbbb0003" }),
  { ...result("pushed", 1, "pass"), deploymentId: undefined, version: "aaaa0001" },
  { ...result("pushed", 2, "fail"), deploymentId: undefined, version: "bbbb0003" },
  // Two breaks, each between versions known only from pushes.
  ...[0.5, 1.5, 2.5, 3.2, 3.5].map((hours, i) => ({ type: "commit", environment, service: "pushed-twice", sha: `dddd000${i + 1}`, authoredAt: at(hours), occurredAt: at(hours) })),
  ...["dddd0001", "dddd0002", "dddd0003", "dddd0005"].flatMap((version, i) => [
    deploy("pushed-twice", i + 1, [], { version }),
    { ...result("pushed-twice", i + 1, i % 2 === 0 ? "pass" : "fail"), deploymentId: undefined, version },
  ]),
];

describe("use-case attribution (embedded engine)", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  const scope = (service: string) => ({ service, environment });
  const ref = (service: string, n: number) => ({ deploymentId: `${service}-${n}`, startedAt: at(n) });
  const state = async (service: string, usecase = "pay with card") => (await listUsecases(store, scope(service))).find((s) => s.usecase === usecase)!;

  before(async () => {
    ({ store, dispose } = await openTestStore("usecases"));
    await writeEvents(store, parsed(scenarios));
  });
  after(() => dispose());

  it("pinpoints a break in a deployment with one commit", async () => {
    const s = await state("pinpoint");
    assert.deepEqual([s.status, s.flaky, s.failingSinceFirstRun, s.brokenSince, s.breaking?.deploymentId], ["fail", false, false, at(3), "pinpoint-3"]);
    assert.deepEqual(s.suspects.map((c) => [c.sha, c.deploymentId]), [["c30000", "pinpoint-3"]]);
    assert.equal(s.culprit?.sha, "c30000");
    assert.deepEqual([s.runs, s.passRate, s.lastRun], [3, 2 / 3, { deploymentId: "pinpoint-3", at: at(3.1), error: "failed in 3" }]);
  });

  it("names all five commits of the breaking deployment as suspects, and no culprit", async () => {
    const s = await state("five");
    assert.deepEqual(s.suspects.map((c) => c.sha), ["a1111", "a2222", "a3333", "a4444", "a5555"]);
    assert.equal(s.culprit, null);
  });

  it("break, fix, second break: two breaks, the first fixed with the time it was broken", async () => {
    const h = await usecaseHistory(store, scope("bfb"), "pay with card", HISTORY_RUNS);
    assert.deepEqual(h.breaks.map((b) => [b.breaking.deploymentId, b.lastPassing.deploymentId, b.fixing?.deploymentId ?? null, b.brokenSeconds, b.flaky, b.culprit?.sha]),
      [["bfb-2", "bfb-1", "bfb-3", 3600, false, "c20000"], ["bfb-4", "bfb-3", null, null, false, "c40000"]]);
    assert.equal(h.state?.breaking?.deploymentId, "bfb-4");
    assert.deepEqual((await deploymentUsecases(store, scope("bfb"), ref("bfb", 3))).fixed.map((b) => [b.usecase, b.breaking.deploymentId]), [["pay with card", "bfb-2"]]);
    assert.deepEqual((await deploymentUsecases(store, scope("bfb"), ref("bfb", 3))).broke, []);
  });

  it("alternation is flaky: reported, never blamed on a commit", async () => {
    const s = await state("alternating");
    assert.deepEqual([s.flaky, s.suspects, s.culprit, s.breaking?.deploymentId], [true, [], null, "alternating-8"]);
    const h = await usecaseHistory(store, scope("alternating"), "pay with card", HISTORY_RUNS);
    // Up to its fix the first break has seen 2 flips (not flaky), the second 4 (more than 3).
    assert.deepEqual(h.breaks.map((b) => b.flaky), [false, true, true, true]);
    assert.ok(h.breaks.slice(1).every((b) => b.suspects.length === 0 && b.culprit === null));
    const broke = await deploymentUsecases(store, scope("alternating"), ref("alternating", 8));
    assert.deepEqual(broke.broke.map((b) => [b.flaky, b.suspects.length]), [[true, 0]]);
  });

  it("a pass and a fail in one deployment is flaky", async () => {
    const s = await state("mixed");
    assert.deepEqual([s.flaky, s.status, s.suspects], [true, "fail", []]);
    const h = await usecaseHistory(store, scope("mixed"), "pay with card", HISTORY_RUNS);
    assert.deepEqual(h.runs.map((r) => [r.outcome, r.passes, r.fails]), [["pass", 1, 0], ["mixed", 1, 1], ["fail", 0, 1]]);
  });

  it("a rollback can be the fix", async () => {
    const h = await usecaseHistory(store, scope("rollback"), "pay with card", HISTORY_RUNS);
    assert.deepEqual(h.breaks.map((b) => [b.breaking.deploymentId, b.fixing?.deploymentId, b.fixing?.kind, b.brokenSeconds]),
      [["rollback-2", "rollback-3", "rollback", 3600]]);
    assert.equal(h.state?.status, "pass");
    assert.equal(h.state?.brokenSince, null);
  });

  it("reads only the runs at changes, with the same answer as the whole history", async () => {
    const s = await state("long");
    assert.deepEqual([s.runs, s.breaking?.deploymentId, s.culprit?.sha], [13, "long-13", "c130000"]);
    const h = await usecaseHistory(store, scope("long"), "pay with card", HISTORY_RUNS);
    assert.equal(h.runs.length, 13);
    assert.deepEqual(h.breaks.map((b) => b.lastPassing.deploymentId), ["long-12"]);
  });

  it("lists a use case's latest runs only, its breaks and state over the whole history", async () => {
    const h = await usecaseHistory(store, scope("bfb"), "pay with card", 2);
    assert.deepEqual(h.runs.map((r) => r.deploymentId), ["bfb-3", "bfb-4"]);
    assert.deepEqual(h.breaks.map((b) => b.breaking.deploymentId), ["bfb-2", "bfb-4"]);
    assert.equal(h.state?.runs, 4);
    const one = await usecaseHistory(store, scope("long"), "pay with card", 1);
    assert.deepEqual([one.runs.map((r) => r.deploymentId), one.breaks.map((b) => b.breaking.deploymentId)], [["long-13"], ["long-13"]]);
  });

  it("a use case added later: failing since its first run is not blamed; one that passed first is", async () => {
    const failing = await state("added", "new and failing");
    assert.deepEqual([failing.failingSinceFirstRun, failing.breaking, failing.brokenSince, failing.suspects], [true, null, at(3), []]);
    const broken = await state("added", "new then broken");
    assert.deepEqual([broken.failingSinceFirstRun, broken.breaking?.deploymentId, broken.suspects.map((c) => c.sha)], [false, "added-4", ["c40000"]]);
  });

  it("looks before the window for use cases failing throughout it", async () => {
    const settings = { ...DEFAULT_USECASE_SETTINGS, lookbackDeployments: 3 };
    const states = await listUsecases(store, scope("old-break"), settings);
    assert.deepEqual(states.map((s) => [s.usecase, s.breaking?.deploymentId ?? null, s.culprit?.sha ?? null, s.failingSinceFirstRun, s.brokenSince]), [
      ["never passed", null, null, true, at(1)],
      ["pay with card", "old-break-2", "c20000", false, at(2)],
    ]);
    const fixed = await deploymentUsecases(store, scope("old-fix"), ref("old-fix", 8), settings);
    assert.deepEqual(fixed.fixed.map((b) => [b.breaking.deploymentId, b.brokenSeconds]), [["old-fix-2", 6 * 3600]]);
    const broke = await deploymentUsecases(store, scope("old-fix"), ref("old-fix", 2), settings);
    assert.deepEqual(broke.broke.map((b) => [b.breaking.deploymentId, b.fixing?.deploymentId ?? null]), [["old-fix-2", null]]);
  });

  it("links results by version, and takes suspects from push events when deployments list no commits", async () => {
    const s = await state("pushed");
    assert.deepEqual([s.breaking?.deploymentId, s.suspects.map((c) => [c.sha, c.deploymentId])], ["pushed-2", [["bbbb0002", ""], ["bbbb0003", ""]]]);
    const h = await usecaseHistory(store, scope("pushed-twice"), "pay with card", HISTORY_RUNS);
    assert.deepEqual(h.breaks.map((b) => [b.breaking.deploymentId, b.suspects.map((c) => c.sha)]),
      [["pushed-twice-2", ["dddd0002"]], ["pushed-twice-4", ["dddd0004", "dddd0005"]]]);
  });

  it("links a result that names only a version to the latest deployment of it started by then, else its first", async () => {
    const byVersion = (n: number, version: string, status: "pass" | "fail", hours = 0.1) =>
      ({ ...result("redeployed", n, status), deploymentId: undefined, version, occurredAt: at(n + hours) });
    await writeEvents(store, parsed([
      deploy("redeployed", 1), byVersion(1, "v1", "pass"),
      // Dated a little before its deployment started: linked to the first deployment of v2.
      deploy("redeployed", 2), byVersion(2, "v2", "fail", -0.05),
      deploy("redeployed", 3, [], { version: "v1", kind: "rollback" }), byVersion(3, "v1", "pass"),
    ]));
    const h = await usecaseHistory(store, scope("redeployed"), "pay with card", HISTORY_RUNS);
    assert.deepEqual(h.runs.map((r) => [r.deploymentId, r.outcome]), [["redeployed-1", "pass"], ["redeployed-2", "fail"], ["redeployed-3", "pass"]]);
    assert.deepEqual(h.breaks.map((b) => [b.breaking.deploymentId, b.fixing?.deploymentId]), [["redeployed-2", "redeployed-3"]]);
  });

  it("reads a use case whose every result still waits for its deployment beside linked ones", async () => {
    await writeEvents(store, parsed([
      deploy("waiting", 1), result("waiting", 1, "pass"),
      { ...result("waiting", 7, "fail", "early bird"), deploymentId: "waiting-7" }, result("waiting", 8, "pass", "early bird"),
    ]));
    assert.deepEqual((await listUsecases(store, scope("waiting"))).map((s) => [s.usecase, s.status]), [["pay with card", "pass"]]);
    const h = await usecaseHistory(store, scope("waiting"), "early bird", HISTORY_RUNS);
    assert.deepEqual([h.runs.length, h.unlinkedResults, h.state], [0, 2, null]);
    assert.deepEqual((await usecaseMatrix(store, scope("waiting"), 30)).usecases.map((u) => [u.usecase, u.cells]), [["pay with card", ["pass"]]]);
  });

  it("keeps results that arrive before their deployment and links them when it arrives", async () => {
    await writeEvents(store, parsed([deploy("early", 1), result("early", 1, "pass"), result("early", 2, "fail")]));
    let h = await usecaseHistory(store, scope("early"), "pay with card", HISTORY_RUNS);
    assert.deepEqual([h.runs.length, h.unlinkedResults, h.breaks.length], [1, 1, 0]);
    await writeEvents(store, parsed([deploy("early", 2)]));
    h = await usecaseHistory(store, scope("early"), "pay with card", HISTORY_RUNS);
    assert.deepEqual([h.runs.length, h.unlinkedResults, h.breaks.map((b) => b.culprit?.sha)], [2, 0, ["c20000"]]);
  });

  it("the same results posted twice count once", async () => {
    const again = await writeEvents(store, parsed(history("pinpoint", "ppf")));
    assert.deepEqual([again.accepted, again.duplicates], [0, 6]);
    const h = await usecaseHistory(store, scope("pinpoint"), "pay with card", HISTORY_RUNS);
    assert.deepEqual(h.runs.map((r) => r.passes + r.fails), [1, 1, 1]);
  });

  it("finds deployments however far apart, each dated by its first event", async () => {
    // Ten days apart; deployment 0 starts first but its last event (a long canary) comes
    // after deployment 2 started: its start is still day 0, whatever range a read looks at.
    const day = (n: number) => n * 24;
    await writeEvents(store, parsed([
      deploy("sparse", day(0), undefined, { status: "started" }), { ...deploy("sparse", day(0)), occurredAt: at(day(25)) },
      ...[0, 10, 20, 30].flatMap((d, i) => [...(d === 0 ? [] : [deploy("sparse", day(d))]), result("sparse", day(d), i === 2 ? "fail" : "pass")]),
    ]));
    const settings = { ...DEFAULT_USECASE_SETTINGS, lookbackDeployments: 2 };
    const broke = await deploymentUsecases(store, scope("sparse"), ref("sparse", day(20)), settings);
    assert.deepEqual(broke.broke.map((b) => [b.lastPassing.deploymentId, b.breaking.deploymentId, b.fixing?.deploymentId ?? null]),
      [[`sparse-${day(10)}`, `sparse-${day(20)}`, `sparse-${day(30)}`]]);
    const m = await usecaseMatrix(store, scope("sparse"), 2);
    assert.deepEqual(m.deployments.map((d) => [d.deploymentId, d.deployedAt]), [[`sparse-${day(20)}`, at(day(20))], [`sparse-${day(30)}`, at(day(30))]]);
    const s = await state("sparse");
    assert.deepEqual([s.status, s.runs], ["pass", 4]);
  });

  it("a last run is the latest deployment with a pass or fail, at its latest pass or fail, with its latest error; skips are not runs", async () => {
    const timed = (n: number, status: "pass" | "fail" | "skip", hours: number, usecase = "pay with card", error?: string) =>
      ({ ...result("skipped", n, status, usecase), occurredAt: at(n + hours), ...(error ? { error } : {}) });
    await writeEvents(store, parsed([
      deploy("skipped", 1), timed(1, "pass", 0.1),
      deploy("skipped", 2), timed(2, "fail", 0.1, undefined, "first"), timed(2, "fail", 0.3, undefined, "second"), timed(2, "skip", 0.5),
      deploy("skipped", 3), timed(3, "skip", 0.1),
      timed(1, "pass", 0.1, "recovered"), timed(2, "fail", 0.1, "recovered", "boom"), timed(3, "pass", 0.1, "recovered"), timed(3, "skip", 0.2, "recovered"),
    ]));
    const states = await listUsecases(store, scope("skipped"));
    assert.deepEqual(states.map((s) => [s.usecase, s.status, s.runs, s.passRate, s.lastRun, s.breaking?.deploymentId ?? null]), [
      ["pay with card", "fail", 2, 1 / 3, { deploymentId: "skipped-2", at: at(2.3), error: "second" }, "skipped-2"],
      ["recovered", "pass", 3, 2 / 3, { deploymentId: "skipped-3", at: at(3.1), error: "" }, null],
    ]);
    for (const listed of states) assert.deepEqual((await usecaseHistory(store, scope("skipped"), listed.usecase, HISTORY_RUNS)).state, listed);
    const m = await usecaseMatrix(store, scope("skipped"), 3);
    assert.deepEqual(m.usecases.map((u) => [u.usecase, u.cells]), [["pay with card", ["pass", "fail", "skip"]], ["recovered", ["pass", "fail", "pass"]]]);
    assert.deepEqual((await usecaseMatrix(store, scope("mixed"), 3)).usecases.map((u) => u.cells), [["pass", "mixed", "fail"]]);
  });

  it("the matrix: use cases x the latest deployments, oldest first", async () => {
    const m = await usecaseMatrix(store, scope("added"), 3);
    assert.deepEqual(m.deployments.map((d) => d.deploymentId), ["added-2", "added-3", "added-4"]);
    assert.deepEqual(m.usecases.map((u) => [u.usecase, u.cells]), [
      ["new and failing", [null, "fail", "fail"]],
      ["new then broken", [null, "pass", "fail"]],
      ["pay with card", ["pass", "pass", "pass"]],
    ]);
    assert.deepEqual(await usecaseMatrix(store, scope("nothing-here"), 3), { deployments: [], usecases: [] });
  });
});

describe("walkRuns: flakiness at its boundaries", () => {
  const runs = (outcomes: string): Run[] => [...outcomes].map((o, i) => ({ run: i + 1, outcome: o === "p" ? "pass" : o === "m" ? "mixed" : "fail" }));
  const settings = { flakyWindow: 6, maxFlips: 3 };

  it("exactly maxFlips flips in the window is not flaky; one more is", () => {
    assert.equal(walkRuns(runs("pfpf"), settings)!.flaky, false);
    assert.equal(walkRuns(runs("pfpfp"), settings)!.flaky, true);
  });

  it("flips older than the window do not count", () => {
    // Four flips in runs 1-5, then six passes: the window (runs 6-11) holds none.
    assert.equal(walkRuns(runs("pfpfppppppp"), settings)!.flaky, false);
    assert.equal(walkRuns(runs("pfpfpppppp"), settings)!.flaky, false);
    assert.equal(walkRuns(runs("pfpfpf"), settings)!.flaky, true);
  });

  it("gives the same answer from the runs at changes only", () => {
    const full = runs("ppppppfffpp");
    const atChanges = full.filter((r, i) => r.outcome !== full[i - 1]?.outcome || r.outcome !== full[i + 1]?.outcome);
    assert.deepEqual(atChanges.map((r) => r.run), [1, 6, 7, 9, 10, 11]);
    const strip = (w: ReturnType<typeof walkRuns<Run>>) => w!.breaks.map((b) => [b.breaking.run, b.lastPassing.run, b.fixing?.run, b.flaky]);
    assert.deepEqual(strip(walkRuns(atChanges, settings)), strip(walkRuns(full, settings)));
    assert.deepEqual(strip(walkRuns(full, settings)), [[7, 6, 10, false]]);
  });

  it("a mixed run in the window is flaky; never passing means no break", () => {
    assert.equal(walkRuns(runs("pppm"), settings)!.flaky, true);
    const never = walkRuns(runs("fff"), settings)!;
    assert.deepEqual([never.everPassed, never.breaks.length], [false, 0]);
  });
});
