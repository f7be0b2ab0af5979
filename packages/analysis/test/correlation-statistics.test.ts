import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_CORRELATION_SETTINGS, MetricRulesText, compareSamples, hodgesLehmann, mannWhitney, medianOf, normalCdf, ruleFor, scoreComparisons,
  type MetricComparison,
} from "../src/index.ts";

const close = (actual: number, expected: number, digits: number) =>
  assert.ok(Math.abs(actual - expected) < 0.5 * 10 ** -digits, `${actual} is not ${expected} to ${digits} decimals`);

describe("Mann-Whitney U against published reference values", () => {
  it("exact, no ties: R's ?wilcox.test two-sample example (Hollander & Wolfe 1973, p. 69)", () => {
    // R: wilcox.test(x, y, alternative = "g") gives W = 35, p-value = 0.1272; two-sided doubles it.
    // wilcox.test(x, y, conf.int = TRUE) estimates the difference in location as 0.305.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const test = mannWhitney(x, y);
    assert.equal(test.method, "exact");
    assert.equal(test.u, 35);
    close(test.pValue / 2, 0.1272, 4);
    close(hodgesLehmann(y, x), 0.305, 3);
  });

  it("exact and normal approximation: SciPy's mannwhitneyu example (Conover, Practical Nonparametric Statistics)", () => {
    // scipy.stats.mannwhitneyu(males, females): statistic 17.0, pvalue 0.1111111111111111 (exact);
    // method="asymptotic": pvalue 0.11134688653314041 (continuity-corrected normal)
    const males = [19, 22, 16, 29, 24];
    const females = [20, 11, 17, 12];
    const exact = mannWhitney(males, females);
    assert.deepEqual([exact.u, exact.method], [17, "exact"]);
    close(exact.pValue, 0.1111111111111111, 12);
    const normal = mannWhitney(males, females, false);
    assert.equal(normal.method, "normal");
    close(normal.pValue, 0.11134688653314041, 12);
  });

  it("ties use the normal approximation with the tie correction, as R does", () => {
    // R (endmemo.com/r/wilcoxon.php): W = 51.5, p-value = 0.5966, "cannot compute exact p-value with ties"
    const a = mannWhitney([1, 5, 9, 24, 56, 21, 3, 7, 21, 4], [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5]);
    assert.deepEqual([a.u, a.method], [51.5, "normal"]);
    close(a.pValue, 0.5966, 4);
    // R (stats.stackexchange.com/q/403173): W = 97, p-value = 0.5335
    const b = mannWhitney(
      [99, 131, 118, 112, 128, 134, 103, 127, 121, 139, 110, 123, 100, 131, 108],
      [117, 125, 140, 109, 128, 136, 120, 107, 134, 122, 114, 101, 128, 110, 141],
    );
    assert.equal(b.u, 97);
    close(b.pValue, 0.5335, 4);
    // heavy ties, R wilcox.test(a, b, exact = FALSE): W = 52, p-value = 0.04271
    const c = mannWhitney([1, 1, 1, 1, 1, 2, 2, 2, 2], [1, 1, 1, 1, 1, 1, 1, 1]);
    assert.equal(c.u, 52);
    close(c.pValue, 0.04271, 5);
  });

  it("tiny samples: one against one can never be significant; all equal is p = 1", () => {
    assert.equal(mannWhitney([1], [2]).pValue, 1);
    // the smallest two-sided exact p for 3 vs 3 is 2/20
    close(mannWhitney([1, 2, 3], [4, 5, 6]).pValue, 0.1, 12);
    assert.deepEqual(mannWhitney([3, 3, 3], [3, 3]), { u: 3, pValue: 1, method: "normal" });
    assert.throws(() => mannWhitney([], [1]), { name: "RangeError", message: "mannWhitney needs two non-empty samples" });
    assert.throws(() => mannWhitney([1], []), RangeError);
  });

  it("normal CDF matches tabulated values", () => {
    close(normalCdf(-1.96), 0.0249979, 7);
    close(normalCdf(-3), 0.0013499, 7);
    close(normalCdf(0), 0.5, 12);
  });
});

describe("Mann-Whitney U at the edges of the exact method (SciPy 1.x mannwhitneyu, method exact / asymptotic)", () => {
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const y = [10.5, 20.5, 60.5];

  it("exact below 50 values a side, the normal approximation from 50", () => {
    const below = mannWhitney(upTo(49), y);
    assert.deepEqual([below.u, below.method], [68, "exact"]);
    close(below.pValue, 0.8534841628959278, 12);
    const at = mannWhitney(upTo(50), y);
    assert.deepEqual([at.u, at.method], [70, "normal"]);
    close(at.pValue, 0.8624902301359216, 12);
    assert.equal(mannWhitney(y, upTo(50)).method, "normal");
  });

  it("exact when asked (no ties), the normal approximation when refused", () => {
    const forced = mannWhitney(upTo(50), y, true);
    assert.deepEqual([forced.u, forced.method], [70, "exact"]);
    close(forced.pValue, 0.8705711602492957, 12);
    const refused = mannWhitney([1.1, 2.2, 3.3, 4.4], [5.5, 6.6, 7.7], false);
    assert.deepEqual([refused.u, refused.method], [0, "normal"]);
    close(refused.pValue, 0.05182992721790968, 12);
    close(mannWhitney([1.1, 2.2, 3.3, 4.4], [5.5, 6.6, 7.7]).pValue, 0.05714285714285714, 12);
    assert.equal(mannWhitney([1, 2, 2], [3, 4], true).method, "normal", "ties: never exact");
  });

  it("two samples alike, U exactly in the middle: p = 1 under the normal approximation too", () => {
    const alike = mannWhitney([1, 2, 2, 3], [3, 2, 2, 1]);
    assert.deepEqual([alike.u, alike.method], [8, "normal"]);
    close(alike.pValue, 1, 12);
    close(mannWhitney(upTo(50), upTo(50).reverse()).pValue, 1, 12);
  });

  it("is symmetric: swapping the samples mirrors U and keeps p", () => {
    for (const [x, yy] of [[[0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46], [1.15, 0.88, 0.9, 0.74, 1.21]], [[1, 5, 9, 24, 56, 21, 3, 7, 21, 4], [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5]]]) {
      const forward = mannWhitney(x!, yy!);
      const backward = mannWhitney(yy!, x!);
      assert.equal(backward.u, x!.length * yy!.length - forward.u);
      close(backward.pValue, forward.pValue, 12);
    }
  });

  it("normal CDF on both sides of 0 (SciPy norm.cdf)", () => {
    close(normalCdf(1.96), 0.9750021048517795, 12);
    close(normalCdf(3), 0.9986501019683699, 12);
    close(normalCdf(0.5), 0.6914624612740131, 12);
    close(normalCdf(-0.5), 0.3085375387259869, 12);
  });

  it("medians of odd and even counts, in any order, and the Hodges-Lehmann shift", () => {
    assert.equal(medianOf([3, 1, 2]), 2);
    assert.equal(medianOf([4, 1, 3, 2]), 2.5);
    assert.equal(medianOf([10, 2, 33]), 10, "numerically, not as text");
    assert.equal(hodgesLehmann([1, 2, 4], [5.5]), 3.5);
    close(hodgesLehmann([1.1, 2.2, 3.3, 4.4], [5.5, 6.6, 7.7]), 3.85, 12);
    assert.equal(hodgesLehmann([5.5], [1, 2, 4]), -3.5);
  });
});

const settings = DEFAULT_CORRELATION_SETTINGS;
const around = (centre: number, n: number, spread = 0.02) => Array.from({ length: n }, (_, i) => centre * (1 + spread * ((i % 5) - 2)));

describe("a metric's verdict", () => {
  it("regressed when errors go up significantly beyond the band, improved when they go down", () => {
    const up = compareSamples("http.server.errors", around(1, 30), around(2, 30), settings);
    assert.equal(up.verdict, "regressed");
    assert.equal(up.direction, "up_is_bad");
    close(up.relativeChange!, 1, 6);
    close(up.shift!, 1, 1);
    assert.ok(up.pValue! < 1e-6);
    assert.equal(compareSamples("http.server.errors", around(2, 30), around(1, 30), settings).verdict, "improved");
  });

  it("throughput is worse down", () => {
    assert.equal(compareSamples("http.server.requests", around(100, 30), around(50, 30), settings).verdict, "regressed");
    assert.equal(compareSamples("http.server.requests", around(100, 30), around(150, 30), settings).verdict, "improved");
  });

  it("a significant change inside the allowed band is no change; at the band's edge too", () => {
    // every after value 5% above its before value: significant, but within 10%
    const within = compareSamples("latency.p95", around(100, 30, 0.001), around(105, 30, 0.001), settings);
    assert.ok(within.pValue! < 0.02);
    assert.equal(within.verdict, "no_change");
    const beyond = compareSamples("latency.p95", around(100, 30, 0.001), around(111, 30, 0.001), settings);
    assert.equal(beyond.verdict, "regressed");
  });

  it("not enough data below the minimum samples on either side, and with no points at all", () => {
    const few = compareSamples("errors", around(1, 4), around(5, 30), settings);
    assert.equal(few.verdict, "not_enough_data");
    assert.deepEqual(few.samples, { reference: 4, candidate: 30 });
    assert.equal(few.pValue, null);
    const none = compareSamples("errors", [], [], settings);
    assert.deepEqual([none.verdict, none.medians.reference, none.medians.candidate], ["not_enough_data", null, null]);
    assert.equal(compareSamples("errors", around(1, 5), around(5, 5), settings).verdict, "regressed");
  });

  it("a zero median before: relative change is null, the shift decides", () => {
    const fromZero = compareSamples("errors", new Array(10).fill(0), new Array(10).fill(3), settings);
    assert.equal(fromZero.relativeChange, null);
    assert.equal(fromZero.verdict, "regressed");
  });
});

describe("metric rules", () => {
  it("user rules come first, and a bad one is named", () => {
    const rules = MetricRulesText.parse("checkout_declines=up:errors:critical; cache_hits=down:throughput");
    const all = [...rules, ...settings.rules];
    assert.deepEqual(ruleFor("checkout_declines", all), { pattern: /checkout_declines/i, direction: "up_is_bad", group: "errors", critical: true });
    assert.equal(ruleFor("cache_hits", all).direction, "down_is_bad");
    assert.equal(ruleFor("http.server.request.duration.p95", all).group, "latency");
    const bad = MetricRulesText.safeParse("ok=up;([=down");
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error!.issues[0]!.path, [1]);
  });
});

const comparison = (metric: string, verdict: MetricComparison["verdict"]): MetricComparison => ({
  ...compareSamples(metric, [], [], settings),
  verdict,
});

describe("the deploy gate's score (Kayenta-style)", () => {
  it("all passing is 100 and pass", () => {
    const gate = scoreComparisons([comparison("errors", "no_change"), comparison("latency.p95", "improved"), comparison("http.server.requests", "no_change")], settings);
    assert.deepEqual(gate, { ok: true, score: 100, verdict: "pass", reasons: [] });
  });

  it("a failing critical metric scores 0", () => {
    const gate = scoreComparisons([comparison("errors", "regressed"), comparison("latency.p95", "no_change")], settings);
    assert.equal(gate.score, 0);
    assert.equal(gate.verdict, "fail");
    assert.equal(gate.ok, false);
    assert.match(gate.reasons[0]!, /critical metric failed: errors/);
  });

  it("weighted groups: a failing latency metric costs the latency group's share", () => {
    // errors 50 (1/1 pass), latency 30 (1/2 pass), throughput 20 (1/1): (50 + 15 + 20) / 100
    const gate = scoreComparisons([
      comparison("errors", "no_change"), comparison("latency.p95", "regressed"), comparison("latency.p50", "no_change"), comparison("http.server.requests", "no_change"),
    ], settings);
    assert.deepEqual([gate.score, gate.verdict, gate.ok], [85, "marginal", false]);
    const worse = scoreComparisons([comparison("errors", "no_change"), comparison("latency.p95", "regressed"), comparison("http.server.requests", "regressed")], settings);
    assert.deepEqual([worse.score, worse.verdict], [50, "fail"]);
  });

  it("half or more of the metrics without data is inconclusive, never a pass", () => {
    const half = scoreComparisons([comparison("errors", "no_change"), comparison("latency.p95", "not_enough_data")], settings);
    assert.deepEqual([half.ok, half.score, half.verdict], [false, null, "inconclusive"]);
    const less = scoreComparisons([comparison("errors", "no_change"), comparison("latency.p95", "no_change"), comparison("latency.p50", "not_enough_data")], settings);
    assert.equal(less.verdict, "pass");
    assert.equal(scoreComparisons([], settings).verdict, "inconclusive");
  });
});
