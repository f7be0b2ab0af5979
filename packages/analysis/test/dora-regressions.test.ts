import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch, type DrumbeatEvent } from "@drumbeat/events";
import { writeEvents, type Store } from "@drumbeat/store";
import { openTestStore } from "../../store/test/helpers.ts";
import {
  DEFAULT_CORRELATION_SETTINGS, DEFAULT_DORA_SETTINGS, definitionOf, doraFailures, doraSummary, factsState, impactOf, mapPointInputs,
  type DoraSettings, type MetricPointInput,
} from "../src/index.ts";

/**
 * DRUMBEAT_CFR_COUNT_REGRESSIONS (docs/dora.md, docs/metrics.md): a deployment whose
 * before/after impact regressed a metric counts as a change failure, once, with one piece
 * of evidence per metric; improved, unchanged and not-enough-data deployments never count,
 * and with the option off nothing does. Each scenario is its own service: deployed at
 * minute 60, finished at 62, so the before window is minutes 30-59 and the after 62-91.
 */
const MIN = 60_000;
/** Three hours ago on a whole minute: every window is in the past, and inside the rollups' retention. */
const T0 = Math.floor((Date.now() - 3 * 60 * MIN) / MIN) * MIN;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
const RANGE = { from: at(-24 * 60), to: at(24 * 60) };
const NOW = T0 + 3 * 60 * MIN;

const off: DoraSettings = { ...DEFAULT_DORA_SETTINGS, buildWaitMs: undefined };
const on: DoraSettings = { ...off, countRegressions: true };

/** 30 distinct values from `level` up by 1% steps: the median is level × 1.145. */
const sample = (level: number) => Array.from({ length: 30 }, (_, i) => level * (1 + i / 100));

function points(service: string, metric: string, firstMinute: number, values: number[]): MetricPointInput[] {
  return values.map((value, i) => ({ service, environment: "production", metric, at: at(firstMinute + i + 0.5), value }));
}
const before_ = (service: string, metric: string, level: number) => points(service, metric, 30, sample(level));
const after_ = (service: string, metric: string, level: number) => points(service, metric, 62, sample(level));

function deployment(service: string): DrumbeatEvent[] {
  const result = parseEventBatch([
    { type: "deployment", environment: "production", service, deploymentId: `${service}-d`, version: "2.0.0", status: "started", occurredAt: at(60) },
    { type: "deployment", environment: "production", service, deploymentId: `${service}-d`, version: "2.0.0", status: "succeeded", occurredAt: at(62) },
  ]);
  assert.ok(result.ok, JSON.stringify(result));
  return result.events;
}

const SCENARIOS: Record<string, MetricPointInput[]> = {
  // error rate tripled and latency up by half: one failure, two pieces of evidence
  regressed: [...before_("regressed", "http.errors", 1), ...after_("regressed", "http.errors", 3),
    ...before_("regressed", "http.latency", 100), ...after_("regressed", "http.latency", 150)],
  improved: [...before_("improved", "http.errors", 3), ...after_("improved", "http.errors", 1)],
  unchanged: [...before_("unchanged", "http.errors", 1), ...after_("unchanged", "http.errors", 1)],
  // 4 minutes after: fewer than the 5 a verdict needs
  sparse: [...before_("sparse", "http.errors", 1), ...points("sparse", "http.errors", 62, sample(3).slice(0, 4))],
  late: [...before_("late", "http.errors", 1), ...after_("late", "http.errors", 1)],
};

describe("DORA: metric regressions as change failures (DRUMBEAT_CFR_COUNT_REGRESSIONS)", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  const failuresOf = async (service: string, settings: DoraSettings) => (await doraFailures(store, { service, ...RANGE }, settings)).failures;
  const failedCount = async (service: string, settings: DoraSettings) =>
    (await doraSummary(store, { service, ...RANGE }, settings)).changeFailureRate;
  const writePoints = (inputs: MetricPointInput[]) => store.insert("metric_points", mapPointInputs(inputs).points);

  before(async () => {
    ({ store, dispose } = await openTestStore("dora_regressions"));
    for (const [service, inputs] of Object.entries(SCENARIOS)) {
      await writeEvents(store, deployment(service));
      await writePoints(inputs);
    }
    for (const service of Object.keys(SCENARIOS)) await impactOf(store, `${service}-d`, DEFAULT_CORRELATION_SETTINGS, NOW);
  });
  after(() => dispose());

  it("the scenarios have the verdicts they are named for", async () => {
    const verdicts = await Promise.all(["regressed", "improved", "unchanged", "sparse"].map(async (service) =>
      (await impactOf(store, `${service}-d`, DEFAULT_CORRELATION_SETTINGS, NOW))!.beforeAfter.verdict));
    assert.deepEqual(verdicts, ["regressed", "improved", "no_change", "not_enough_data"]);
  });

  it("off (the default): a regressed deployment does not count", async () => {
    assert.equal(DEFAULT_DORA_SETTINGS.countRegressions, undefined);
    assert.deepEqual(await failuresOf("regressed", off), []);
    assert.deepEqual(await failedCount("regressed", off), { failed: 0, total: 1, rate: 0, level: "elite" });
  });

  it("on: a deployment that regressed two metrics fails once, with each metric's change as evidence", async () => {
    const [failure, ...others] = await failuresOf("regressed", on);
    assert.deepEqual(others, []);
    assert.deepEqual(failure!.reasons, ["metric_regression"]);
    assert.deepEqual(failure!.evidence, [
      { reason: "metric_regression", kind: "metric", id: "http.errors", title: "metric regression: http.errors +200%", url: "" },
      { reason: "metric_regression", kind: "metric", id: "http.latency", title: "metric regression: http.latency +50%", url: "" },
    ]);
    assert.equal(failure!.failedAt, at(62));
    assert.equal((await failedCount("regressed", on)).failed, 1);
  });

  it("on: improved, unchanged and not-enough-data deployments never count", async () => {
    for (const service of ["improved", "unchanged", "sparse"]) {
      assert.deepEqual(await failuresOf(service, on), [], service);
      assert.equal((await failedCount(service, on)).total, 1, service);
    }
  });

  it("names the option in the facts' definition, so turning it on or off rebuilds them", () => {
    assert.equal(definitionOf(on), `${definitionOf(off)};regressions=counted`);
  });

  it("late points that turn a verdict into a regression make the service's facts stale, and it then counts", async () => {
    assert.deepEqual(await failuresOf("late", on), []);
    assert.ok(!(await factsState(store, "production", definitionOf(on), 0)).stale.includes("late"));
    // late points of the same minutes: each minute's mean rises tenfold (1 and 19 -> 10)
    await writePoints(after_("late", "http.errors", 19));
    const impact = await impactOf(store, "late-d", DEFAULT_CORRELATION_SETTINGS, NOW);
    assert.equal(impact!.beforeAfter.verdict, "regressed");
    assert.ok((await factsState(store, "production", definitionOf(on), 0)).stale.includes("late"), "stale after the verdict changed");
    const [failure] = await failuresOf("late", on);
    assert.deepEqual(failure!.evidence.map((e) => e.title), ["metric regression: http.errors +900%"]);
  });
});
