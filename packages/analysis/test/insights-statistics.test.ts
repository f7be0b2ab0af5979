import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { batchVerdict, trendTest, wilson } from "../src/index.ts";

const close = (actual: number, expected: number, tolerance = 1e-4) => assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not ${expected}`);
const rate = (failed: number, total: number) => {
  const interval = wilson(failed, total);
  return { failed, total, rate: total ? failed / total : null, low: interval?.low ?? null, high: interval?.high ?? null };
};
const buckets = (counts: [number, number][]) => (["1", "2-3", "4-10", "11-40", ">40"] as const).map((bucket, i) => ({
  bucket, minCommits: 0, maxCommits: null, changeFailureRate: rate(...counts[i]!), recovery: { recoveries: 0, medianSeconds: null }, medianSecondsSincePrevious: null,
}));

describe("insights statistics", () => {
  it("gives the Wilson 95% interval, inside [0, 1], null with no trials", () => {
    const eight = wilson(8, 10)!;
    close(eight.low, 0.49016);
    close(eight.high, 0.94331);
    // 0 of 3 is not "safe": up to 56%.
    assert.equal(wilson(0, 3)!.low, 0);
    close(wilson(0, 3)!.high, 0.56151);
    close(wilson(3, 3)!.low, 0.43849);
    assert.equal(wilson(3, 3)!.high, 1);
    assert.equal(wilson(0, 0), null);
  });

  it("tests a trend across ordered groups (Cochran–Armitage)", () => {
    // Scores 0 and 4: T = 16, Var = 0.24 × 80.
    const test = trendTest([{ failed: 0, total: 10 }, { failed: 0, total: 0 }, { failed: 0, total: 0 }, { failed: 0, total: 0 }, { failed: 8, total: 10 }])!;
    close(test.z, 16 / Math.sqrt(19.2));
    close(test.p, 0.000261, 1e-5);
    assert.ok(trendTest([{ failed: 8, total: 10 }, { failed: 0, total: 10 }])!.z < 0);
    assert.equal(trendTest([{ failed: 0, total: 10 }, { failed: 0, total: 10 }]), null);
    assert.equal(trendTest([{ failed: 2, total: 10 }]), null);
  });

  it("grades the verdict by the trend's p and whether the end intervals overlap", () => {
    const strong = batchVerdict(buckets([[0, 10], [0, 0], [0, 0], [0, 0], [8, 10]]));
    assert.deepEqual([strong.verdict, strong.confidence, strong.smallest, strong.largest, strong.intervalsOverlap], ["bigger_fail_more", "strong", "1", ">40", false]);
    // p < 0.05 but the end intervals overlap: moderate.
    const moderate = batchVerdict(buckets([[1, 20], [2, 20], [3, 20], [4, 20], [6, 20]]));
    assert.deepEqual([moderate.verdict, moderate.confidence, moderate.intervalsOverlap], ["bigger_fail_more", "moderate", true]);
    assert.ok(moderate.trend!.p < 0.05 && moderate.trend!.p > 0.01);
    const less = batchVerdict(buckets([[8, 10], [0, 0], [0, 0], [0, 0], [0, 10]]));
    assert.deepEqual([less.verdict, less.confidence], ["bigger_fail_less", "strong"]);
    // A bucket of 4 deployments takes no part in the comparison of the ends.
    const few = batchVerdict(buckets([[0, 10], [0, 0], [0, 0], [0, 0], [4, 4]]));
    assert.deepEqual([few.verdict, few.largest], ["too_little_data", "1"]);
    const none = batchVerdict(buckets([[0, 10], [0, 0], [0, 0], [0, 0], [0, 10]]));
    assert.deepEqual([none.verdict, none.confidence], ["too_little_data", null]);
    assert.match(none.sentence, /all 20 deployments with known commits succeeded/);
  });
});
