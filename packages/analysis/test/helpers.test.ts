import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { bucketStart, bucketsOf, definitionOf, levels, THRESHOLDS } from "../src/index.ts";
import { doraParams, environmentOf, previousRange, rangeDays, resolveRange, windowSecondsOf, InvalidRangeError } from "../src/dora/definitions.ts";
import { NO_LEAD_TIMES, NO_OUTCOMES, buildFigures, ratio, sampled } from "../src/dora/figures.ts";

/** The DORA engine's pure parts (no store): levels at each bound, buckets, ranges, figures. */
const d = (iso: string) => new Date(iso);

describe("DORA levels at each threshold", () => {
  // [value, expected level]: exactly at each bound, and just either side of it.
  const cases = {
    deploymentFrequency: [[1, "elite"], [0.999, "high"], [1 / 7, "high"], [1 / 7 - 1e-9, "medium"], [1 / 30, "medium"], [1 / 30 - 1e-9, "low"], [0.001, "low"]],
    leadTime: [[86_399, "elite"], [86_400, "high"], [7 * 86_400 - 1, "high"], [7 * 86_400, "medium"], [30 * 86_400 - 1, "medium"], [30 * 86_400, "low"], [0, "elite"]],
    changeFailureRate: [[0.05, "elite"], [0.0501, "high"], [0.1, "high"], [0.1001, "medium"], [0.15, "medium"], [0.1501, "low"], [0, "elite"], [1, "low"]],
    recoveryTime: [[3_599, "elite"], [3_600, "high"], [86_399, "high"], [86_400, "medium"], [7 * 86_400 - 1, "medium"], [7 * 86_400, "low"]],
  } as const;
  for (const [figure, table] of Object.entries(cases)) {
    for (const [value, level] of table) {
      it(`${figure} ${value} is ${level}`, () => {
        const of = levels[figure as keyof typeof levels] as (v: number, count: number) => string | null;
        assert.equal(of(value, 1), level);
      });
    }
  }

  it("has no level without a sample", () => {
    assert.equal(levels.deploymentFrequency(5, 0), null);
    assert.equal(levels.deploymentFrequency(null, 3), null);
    assert.equal(levels.leadTime(null), null);
    assert.equal(levels.changeFailureRate(null), null);
    assert.equal(levels.recoveryTime(null), null);
    assert.equal(THRESHOLDS.year, 2023);
  });
});

describe("DORA buckets (UTC, weeks from Monday)", () => {
  it("starts days, weeks and months at their UTC boundary, from the last millisecond of the one before", () => {
    assert.equal(bucketStart(d("2026-03-08T23:59:59.999Z"), "day").toISOString(), "2026-03-08T00:00:00.000Z");
    assert.equal(bucketStart(d("2026-03-08T23:59:59.999Z"), "week").toISOString(), "2026-03-02T00:00:00.000Z");
    assert.equal(bucketStart(d("2026-03-09T00:00:00.000Z"), "week").toISOString(), "2026-03-09T00:00:00.000Z");
    assert.equal(bucketStart(d("2026-03-02T00:00:00.000Z"), "week").toISOString(), "2026-03-02T00:00:00.000Z");
    assert.equal(bucketStart(d("2026-03-31T23:59:59.999Z"), "month").toISOString(), "2026-03-01T00:00:00.000Z");
    assert.equal(bucketStart(d("2026-01-01T00:00:00.000Z"), "week").toISOString(), "2025-12-29T00:00:00.000Z");
  });

  it("covers the range with every bucket overlapping it, cut to the range at both ends", () => {
    const spans = bucketsOf({ from: d("2026-03-04T12:00:00Z"), to: d("2026-03-17T00:00:00Z") }, "week");
    assert.deepEqual(spans.map((s) => [s.key, s.start.toISOString(), s.end.toISOString(), s.covered.from.toISOString(), s.covered.to.toISOString()]), [
      ["2026-03-02", "2026-03-02T00:00:00.000Z", "2026-03-09T00:00:00.000Z", "2026-03-04T12:00:00.000Z", "2026-03-09T00:00:00.000Z"],
      ["2026-03-09", "2026-03-09T00:00:00.000Z", "2026-03-16T00:00:00.000Z", "2026-03-09T00:00:00.000Z", "2026-03-16T00:00:00.000Z"],
      ["2026-03-16", "2026-03-16T00:00:00.000Z", "2026-03-23T00:00:00.000Z", "2026-03-16T00:00:00.000Z", "2026-03-17T00:00:00.000Z"],
    ]);
    assert.deepEqual(bucketsOf({ from: d("2026-01-31T00:00:00Z"), to: d("2026-03-01T00:00:00Z") }, "month").map((s) => [s.key, s.end.toISOString()]),
      [["2026-01-01", "2026-02-01T00:00:00.000Z"], ["2026-02-01", "2026-03-01T00:00:00.000Z"]]);
    assert.deepEqual(bucketsOf({ from: d("2026-03-01T00:00:00Z"), to: d("2026-03-03T00:00:00Z") }, "day").map((s) => s.key), ["2026-03-01", "2026-03-02"]);
    assert.deepEqual(bucketsOf({ from: d("2026-03-01T23:00:00Z"), to: d("2026-03-02T00:00:00.001Z") }, "day").map((s) => s.key), ["2026-03-01", "2026-03-02"]);
  });
});

describe("DORA ranges and definitions", () => {
  it("defaults to the 30 days before `to` (or now) and refuses an empty or backwards range", () => {
    const now = d("2026-03-31T00:00:00Z");
    assert.deepEqual(resolveRange({}, now), { from: d("2026-03-01T00:00:00Z"), to: now });
    assert.deepEqual(resolveRange({ to: "2026-02-01T00:00:00Z" }, now), { from: d("2026-01-02T00:00:00Z"), to: d("2026-02-01T00:00:00Z") });
    assert.throws(() => resolveRange({ from: "2026-03-02T00:00:00Z", to: "2026-03-02T00:00:00Z" }), InvalidRangeError);
    assert.throws(() => resolveRange({ from: "2026-03-02T00:00:00.001Z", to: "2026-03-02T00:00:00Z" }), InvalidRangeError);
    assert.doesNotThrow(() => resolveRange({ from: "2026-03-01T23:59:59.999Z", to: "2026-03-02T00:00:00Z" }));
  });

  it("gives the previous range of equal length, and lengths in days", () => {
    const range = { from: d("2026-03-02T12:00:00Z"), to: d("2026-03-09T00:00:00Z") };
    assert.deepEqual(previousRange(range), { from: d("2026-02-24T00:00:00Z"), to: range.from });
    assert.equal(rangeDays(range), 6.5);
  });

  it("names the rules and the incident window, and the environment measured", () => {
    const settings = { productionEnvironment: "live", incidentWindowHours: 1.5, detectRollbacks: true };
    assert.equal(windowSecondsOf(settings), 5400);
    assert.equal(definitionOf(settings), "v4;window=5400s");
    assert.equal(definitionOf({ ...settings, detectRollbacks: false }), "v4;window=5400s;rollbacks=declared");
    assert.notEqual(definitionOf({ ...settings, incidentWindowHours: 2 }), definitionOf(settings));
    assert.equal(environmentOf({}, settings), "live");
    assert.equal(environmentOf({ environment: "staging" }, settings), "staging");
    assert.deepEqual(doraParams({ service: "a", team: "t" }, settings, d("2026-03-01T00:00:00Z"), d("2026-03-02T00:00:00Z"), d("2026-03-03T00:00:00Z"), [7]), {
      builds: [7], environment: "live", service: "a", team: "t", definition: "v4;window=5400s",
      scanFrom: "2026-03-01 00:00:00.000", from: "2026-03-02 00:00:00.000", to: "2026-03-03 00:00:00.000",
    });
    assert.deepEqual([doraParams({}, settings, d(0 as never), d(0 as never), d(0 as never), []).service, doraParams({}, settings, d(0 as never), d(0 as never), d(0 as never), []).team], ["", ""]);
  });
});

describe("DORA figures from counts", () => {
  const week = { from: d("2026-03-02T00:00:00Z"), to: d("2026-03-09T00:00:00Z") };

  it("is null, not 0, for too-small samples, and counts what it was given", () => {
    assert.deepEqual(buildFigures(NO_OUTCOMES, NO_LEAD_TIMES, week), {
      deploymentFrequency: { count: 0, rollbacks: 0, perDay: 0, perWeek: 0, level: null },
      leadTime: { commits: 0, medianSeconds: null, p90Seconds: null, level: null },
      changeFailureRate: { failed: 0, total: 0, rate: null, level: null },
      recoveryTime: { failures: 0, unrecovered: 0, medianSeconds: null, p90Seconds: null, level: null },
      reworkRate: { rework: 0, total: 0, rate: null },
    });
  });

  it("divides by the range's days and classifies each figure", () => {
    const outcomes = { ...NO_OUTCOMES, deployments: 14, rollbacks: 2, total: 20, failed: 2, rework: 3, recoveries: 10, unrecovered: 1, recoveryMedian: 1800, recoveryP90: 7200 };
    const figures = buildFigures(outcomes, { commits: 9, median: 3600, p90: 9000 }, week);
    assert.deepEqual(figures, {
      deploymentFrequency: { count: 14, rollbacks: 2, perDay: 2, perWeek: 14, level: "elite" },
      leadTime: { commits: 9, medianSeconds: 3600, p90Seconds: null, level: "elite" },
      changeFailureRate: { failed: 2, total: 20, rate: 0.1, level: "high" },
      recoveryTime: { failures: 10, unrecovered: 1, medianSeconds: 1800, p90Seconds: 7200, level: "elite" },
      reworkRate: { rework: 3, total: 20, rate: 0.15 },
    });
  });

  it("needs one value for a median, ten for a p90, one for a rate, and drops NaN", () => {
    assert.equal(sampled(5, 1, 1), 5);
    assert.equal(sampled(5, 0, 1), null);
    assert.equal(sampled(5, 10, 10), 5);
    assert.equal(sampled(5, 9, 10), null);
    assert.equal(sampled(Number.NaN, 10, 1), null);
    assert.equal(sampled(null, 10, 1), null);
    assert.equal(ratio(1, 4), 0.25);
    assert.equal(ratio(0, 1), 0);
    assert.equal(ratio(0, 0), null);
  });
});
