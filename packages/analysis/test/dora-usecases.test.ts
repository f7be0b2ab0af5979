import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch, type DrumbeatEvent } from "@drumbeat/events";
import { writeEvents, type Store } from "@drumbeat/store";
import { openTestStore } from "../../store/test/helpers.ts";
import { DEFAULT_DORA_SETTINGS, DEFAULT_USECASE_SETTINGS, definitionOf, doraFailures, doraSummary, type DoraSettings } from "../src/index.ts";
import { factsState } from "../src/dora/facts.ts";

/**
 * DRUMBEAT_CFR_COUNT_USECASE_BREAKS (docs/dora.md): use-case breaks as change failures.
 * Each scenario is its own service: deployment n at hour n, its results six minutes later.
 */
const T0 = Date.parse("2026-03-02T10:00:00Z");
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const WEEK = { from: "2026-03-02T00:00:00Z", to: "2026-03-09T00:00:00Z" };
const environment = "production";

const deploy = (service: string, n: number) =>
  ({ type: "deployment", environment, service, deploymentId: `${service}-${n}`, version: `v${n}`, status: "succeeded", occurredAt: at(n) });
const result = (service: string, n: number, usecase: string, status: "pass" | "fail") =>
  ({ type: "usecase", environment, service, deploymentId: `${service}-${n}`, usecase, status, occurredAt: at(n + 0.1) });
/** Deployments 1… of a service, and per use case its outcomes in them ('p', 'f', 'm' both, '.' not run). */
function history(service: string, usecases: Record<string, string>) {
  const count = Math.max(...Object.values(usecases).map((o) => o.length));
  return Array.from({ length: count }, (_, i) => i + 1).flatMap((n) => [
    deploy(service, n),
    ...Object.entries(usecases).flatMap(([usecase, outcomes]) => {
      const o = outcomes[n - 1];
      return o === "p" ? [result(service, n, usecase, "pass")] : o === "f" ? [result(service, n, usecase, "fail")]
        : o === "m" ? [result(service, n, usecase, "pass"), result(service, n, usecase, "fail")] : [];
    }),
  ]);
}

const scenarios = [
  ...history("break-fix", { pay: "pffp" }),
  ...history("still-broken", { pay: "pff" }),
  ...history("two-broken", { pay: "pfp", search: "pffp" }),
  ...history("alternating", { pay: "pfpfpfpf" }),
  ...history("mixed", { pay: "pmff" }),
  ...history("never-passed", { pay: "fff" }),
];

function parsed(items: unknown[]): DrumbeatEvent[] {
  const outcome = parseEventBatch(items);
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.events;
}

describe("DORA: use-case breaks as change failures (embedded engine)", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  const on: DoraSettings = { ...DEFAULT_DORA_SETTINGS, countUsecaseBreaks: DEFAULT_USECASE_SETTINGS };
  const failures = async (service: string, settings = on) => (await doraFailures(store, { service, ...WEEK }, settings)).failures;

  before(async () => {
    ({ store, dispose } = await openTestStore("dora_usecases"));
    await writeEvents(store, parsed(scenarios));
  });
  after(() => dispose());

  it("off (the default): no break counts", async () => {
    for (const service of ["break-fix", "still-broken", "two-broken"]) assert.deepEqual(await failures(service, DEFAULT_DORA_SETTINGS), []);
    assert.doesNotMatch(definitionOf(DEFAULT_DORA_SETTINGS), /usecases/);
  });

  it("on: the breaking deployment fails once, with the use case as evidence, and its fix recovers it", async () => {
    assert.deepEqual(await failures("break-fix"), [{
      deploymentId: "break-fix-2", service: "break-fix", team: "", kind: "normal", status: "succeeded", deployedAt: at(2),
      reasons: ["usecase_broken"],
      evidence: [{ reason: "usecase_broken", kind: "usecase", id: "pay", title: "use case broken: pay", url: "" }],
      // Deployment 3 did not fail (the use case was already broken) but did not recover it: 4 fixed it.
      failedAt: at(2), recoveredAt: at(4), recoveredBy: "deployment", recoverySeconds: 7_200,
    }]);
    const figures = await doraSummary(store, { service: "break-fix", ...WEEK }, on);
    assert.deepEqual(figures.changeFailureRate, { failed: 1, total: 4, rate: 0.25, level: "low" });
  });

  it("on: a break not fixed yet is unrecovered", async () => {
    assert.deepEqual((await failures("still-broken")).map((f) => [f.deploymentId, f.recoveredAt, f.recoveredBy]), [["still-broken-2", null, null]]);
  });

  it("on: two use cases broken by one deployment are one failure, recovered when the last is fixed", async () => {
    const list = await failures("two-broken");
    assert.deepEqual(list.map((f) => [f.deploymentId, f.reasons, f.evidence.map((e) => e.title), f.recoveredAt]),
      [["two-broken-2", ["usecase_broken"], ["use case broken: pay", "use case broken: search"], at(4)]]);
  });

  it("on: a flaky break never counts, judged as the use-case history judges it", async () => {
    // Alternating: up to its fix the first break has seen 2 flips (real, and blamed there), the later ones more than 3.
    assert.deepEqual((await failures("alternating")).map((f) => [f.deploymentId, f.recoveredAt]), [["alternating-2", at(3)]]);
    // A pass and a fail within one deployment makes the break after it flaky; a use case never seen passing broke nothing.
    for (const service of ["mixed", "never-passed"]) assert.deepEqual(await failures(service), [], service);
  });

  it("on: a new result alone makes the service's facts stale, and the break it reveals counts; off: it changes nothing", async () => {
    const service = "late-result";
    await writeEvents(store, parsed([...history(service, { pay: "pp" }), deploy(service, 3)]));
    assert.deepEqual(await failures(service), []);
    const definition = definitionOf(on);
    const stale = async (countUsecaseBreaks: boolean) => (await factsState(store, environment, definition, 0, countUsecaseBreaks)).stale;
    assert.deepEqual([await stale(false), await stale(true)], [[], []]);
    await writeEvents(store, parsed([result(service, 3, "pay", "fail")]));
    assert.deepEqual([await stale(false), await stale(true)], [[], [service]]);
    assert.deepEqual((await failures(service)).map((f) => [f.deploymentId, f.reasons]), [[`${service}-3`, ["usecase_broken"]]]);
  });
});
