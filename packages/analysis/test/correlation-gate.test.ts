import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_CORRELATION_SETTINGS, DEFAULT_RULES, DeploymentVerdict, GateVerdict, MetricComparison, MetricRulesText, MetricVerdict, compareSamples, gateOf, overallVerdict, ruleFor,
  scoreComparisons,
  type CorrelationSettings, type DeploymentImpact,
} from "../src/index.ts";

/** The deploy gate's pure rules at their boundaries: metric rules, verdicts, scores, which comparison is judged. */
const settings = DEFAULT_CORRELATION_SETTINGS;
const comparison = (metric: string, verdict: MetricComparison["verdict"], fields: Partial<MetricComparison> = {}): MetricComparison => ({
  ...compareSamples(metric, [], [], settings), verdict, ...fields,
});
/** `passed` passing and `failed` regressed metrics of a group without weight, so the score is the plain share. */
const shares = (passed: number, failed: number) => [
  ...Array.from({ length: passed }, (_, i) => comparison(`queue_depth_${i}`, "no_change")),
  ...Array.from({ length: failed }, (_, i) => comparison(`queue_depth_x${i}`, "regressed")),
];

describe("metric rules", () => {
  it("classifies OpenTelemetry names by the first default rule that matches", () => {
    const cases: Array<[string, string, string, boolean]> = [
      ["http.server.errors", "errors", "up_is_bad", true],
      ["jobs.failed", "errors", "up_is_bad", true],
      ["HTTP_5XX", "errors", "up_is_bad", true],
      ["http.server.request.duration", "latency", "up_is_bad", false], // latency before throughput: "request" is in the name too
      ["db.latency", "latency", "up_is_bad", false],
      ["checkout.p99", "latency", "up_is_bad", false],
      ["checkout.p99x", "other", "up_is_bad", false],
      ["http.server.requests", "throughput", "down_is_bad", false],
      ["orders.count", "throughput", "down_is_bad", false],
      ["orders.counter", "other", "up_is_bad", false],
      ["cache.hits", "throughput", "down_is_bad", false],
      ["queue_depth", "other", "up_is_bad", false],
    ];
    for (const [metric, group, direction, critical] of cases) {
      const rule = ruleFor(metric, DEFAULT_RULES);
      assert.deepEqual([rule.group, rule.direction, rule.critical], [group, direction, critical], metric);
    }
    assert.equal(ruleFor("anything", []), DEFAULT_RULES.at(-1), "no rule matches: the catch-all");
  });

  it("reads DRUMBEAT_METRIC_RULES entries, blanks and case aside", () => {
    const rules = MetricRulesText.parse(" declines=UP:errors:critical ;; queue=down ; ; lag=up:latency ");
    assert.deepEqual(rules.map((r) => [r.pattern.source, r.pattern.flags, r.direction, r.group, r.critical]), [
      ["declines", "i", "up_is_bad", "errors", true],
      ["queue", "i", "down_is_bad", "other", false],
      ["lag", "i", "up_is_bad", "latency", false],
    ]);
    assert.deepEqual(MetricRulesText.parse(""), []);
    assert.deepEqual(MetricRulesText.parse(" ; "), []);
  });

  it("names each entry it cannot read by its position", () => {
    for (const entry of ["queue", "queue=sideways", "=up", "queue=up:Errors!", "queue=up:errors:urgent", "queue=up:errors:critical:more", "(=up"]) {
      const result = MetricRulesText.safeParse(`ok=up;${entry}`);
      assert.ok(!result.success, entry);
      assert.deepEqual(result.error.issues.map((issue) => [issue.path, issue.message]), [
        [[1], `'${entry}' is not pattern=up|down[:group[:critical]] with a valid regular expression`],
      ], entry);
    }
  });
});

describe("a deployment's verdict from its metrics", () => {
  const cases: Array<[MetricComparison["verdict"][], string]> = [
    [["improved", "regressed", "no_change"], "regressed"],
    [["no_change", "improved", "not_enough_data"], "improved"],
    [["not_enough_data", "no_change"], "no_change"],
    [["not_enough_data"], "not_enough_data"],
    [[], "not_enough_data"],
  ];
  for (const [verdicts, overall] of cases) {
    it(`[${verdicts.join(", ")}] is ${overall}`, () => assert.equal(overallVerdict(verdicts.map((verdict) => ({ verdict }))), overall));
  }
});

describe("the gate's score at its thresholds (pass 90, marginal 75)", () => {
  const cases: Array<[number, number, number, string]> = [
    [9, 1, 90, "pass"],
    [89, 11, 89, "marginal"],
    [3, 1, 75, "marginal"],
    [74, 26, 74, "fail"],
    [0, 1, 0, "fail"],
  ];
  for (const [passed, failed, score, verdict] of cases) {
    it(`${passed} of ${passed + failed} passing scores ${score}: ${verdict}`, () => {
      const gate = scoreComparisons(shares(passed, failed), settings);
      assert.deepEqual([gate.score, gate.verdict, gate.ok], [score, verdict, verdict === "pass"]);
    });
  }

  it("scores only the groups with weight once one has weight", () => {
    // errors (50) all pass; the failing metrics are in "other", whose weight is 0.
    const gate = scoreComparisons([comparison("errors", "no_change"), ...shares(0, 3)], settings);
    assert.deepEqual([gate.score, gate.verdict], [100, "pass"]);
    const own: CorrelationSettings = { ...settings, groupWeights: { latency: 1, throughput: 3 } };
    // latency 1/2 passing (weight 1), throughput 1/1 (weight 3): (0.5 + 3) / 4
    const weighted = scoreComparisons([comparison("latency.p95", "regressed"), comparison("latency.p50", "improved"), comparison("http.requests", "no_change")], own);
    assert.equal(weighted.score, 88);
  });

  it("moves the thresholds with the settings", () => {
    const strict: CorrelationSettings = { ...settings, passScore: 91, marginalScore: 90 };
    assert.equal(scoreComparisons(shares(9, 1), strict).verdict, "marginal");
    assert.equal(scoreComparisons(shares(89, 11), strict).verdict, "fail");
  });

  it("says why: each regression with its change and p-value, the critical ones first, and the metrics without data", () => {
    const latency = comparison("latency.p95", "regressed", { relativeChange: 0.123, pValue: 0.00123, shift: 12 });
    const errors = comparison("errors", "regressed", { relativeChange: null, pValue: 0.0456, shift: 3 });
    const faster = comparison("latency.p50", "regressed", { relativeChange: -0.05, pValue: 0.5 });
    const gate = scoreComparisons([latency, faster, comparison("http.requests", "no_change"), comparison("cache.hits", "not_enough_data")], settings);
    assert.deepEqual(gate.reasons, [
      "latency.p95 regressed (+12.3%, p=0.0012)",
      "latency.p50 regressed (-5.0%, p=0.50)",
      "1 of 4 metrics have too few points",
    ]);
    const twoCritical = scoreComparisons([errors, comparison("jobs.failed", "regressed"), comparison("http.requests", "no_change")], settings);
    assert.equal(twoCritical.reasons[0], "critical metric failed: errors, jobs.failed");
    const critical = scoreComparisons([errors, latency, comparison("http.requests", "no_change")], settings);
    assert.deepEqual(critical.reasons, ["critical metric failed: errors", "errors regressed (shift 3.00, p=0.046)", "latency.p95 regressed (+12.3%, p=0.0012)"]);
    const none = scoreComparisons([], settings);
    assert.deepEqual(none, { ok: false, score: null, verdict: "inconclusive", reasons: ["no metrics of this service in the windows"] });
    const half = scoreComparisons([comparison("errors", "no_change"), comparison("latency.p95", "not_enough_data")], settings);
    assert.deepEqual([half.verdict, half.reasons], ["inconclusive", ["1 of 2 metrics have too few points"]]);
  });
});

describe("which comparison the gate judges", () => {
  const failing = [comparison("errors", "regressed")];
  const passing = [comparison("errors", "no_change")];
  const window = { from: "2026-11-20T10:00:00.000Z", to: "2026-11-20T10:30:00.000Z" };
  const impact = (fields: Partial<DeploymentImpact>): DeploymentImpact => ({
    deploymentId: "d-1", service: "checkout", environment: "production", version: "v2", strategy: "rolling",
    startedAt: "2026-11-20T10:30:00.000Z", finishedAt: "2026-11-20T10:35:00.000Z", verdict: "no_change", computedAt: "2026-11-20T11:00:00.000Z",
    beforeAfter: { before: window, after: window, verdict: "no_change", metrics: passing }, canary: null, ...fields,
  });

  it("a finished deployment by its before/after comparison", () => {
    const gate = gateOf(impact({}), settings);
    assert.deepEqual([gate.deploymentId, gate.comparison, gate.verdict, gate.score], ["d-1", "before/after", "pass", 100]);
  });

  it("an unfinished one is inconclusive, whatever its metrics", () => {
    const gate = gateOf(impact({ finishedAt: null, beforeAfter: { before: window, after: null, verdict: "regressed", metrics: failing } }), settings);
    assert.deepEqual(gate, {
      ok: false, score: null, verdict: "inconclusive", reasons: ["the deployment has not finished, so there is no after window yet"], deploymentId: "d-1", comparison: "before/after",
    });
  });

  it("a canary by its latest step, finished or not", () => {
    const step = (n: number, weight: number, metrics: MetricComparison[]) => ({ step: n, weight, window, verdict: overallVerdict(metrics), metrics });
    const canary = impact({ strategy: "canary", finishedAt: null, canary: { steps: [step(1, 10, passing), step(2, 25, passing), step(3, 50, failing)] } });
    const gate = gateOf(canary, settings);
    assert.deepEqual([gate.comparison, gate.verdict, gate.score, gate.deploymentId], ["canary step 3 (weight 50)", "fail", 0, "d-1"]);
    assert.equal(gateOf(impact({ canary: { steps: [] } }), settings).comparison, "before/after");
  });
});

describe("the API's schemas hold what the engine produces", () => {
  const steady = (centre: number) => Array.from({ length: 30 }, (_, i) => centre * (1 + 0.02 * ((i % 5) - 2)));
  const produced = [
    compareSamples("http.server.errors", steady(1), steady(2), settings),
    compareSamples("http.server.errors", steady(2), steady(1), settings),
    compareSamples("http.server.errors", steady(1), steady(1), settings),
    compareSamples("http.server.errors", [1, 2], [], settings),
    compareSamples("http.server.requests", steady(100), steady(50), settings),
    compareSamples("queue_depth", [1, 2, 3, 4, 5], [6, 7, 8, 9, 10], settings),
  ];

  it("every metric comparison and verdict", () => {
    assert.deepEqual(produced.map((c) => c.verdict), ["regressed", "improved", "no_change", "not_enough_data", "regressed", "regressed"]);
    for (const c of produced) assert.deepEqual(MetricComparison.parse(c), c);
    assert.deepEqual(MetricVerdict.options, ["regressed", "improved", "no_change", "not_enough_data"]);
    assert.deepEqual(DeploymentVerdict.options, MetricVerdict.options);
    assert.deepEqual(new Set(produced.map((c) => c.method)), new Set(["normal", null, "exact"]));
    assert.deepEqual(MetricComparison.shape.direction.options, ["up_is_bad", "down_is_bad"]);
  });

  it("every gate verdict", () => {
    const gates = [shares(1, 0), shares(3, 1), shares(1, 1), []].map((comparisons) => scoreComparisons(comparisons, settings));
    assert.deepEqual(gates.map((g) => g.verdict), ["pass", "marginal", "fail", "inconclusive"]);
    for (const gate of gates) assert.deepEqual(GateVerdict.parse(gate), gate);
  });
});
