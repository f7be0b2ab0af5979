import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { figureChange, formatFigure, formatSeconds } from "../lib/figures.ts";

describe("overview figures", () => {
  test("a change is good or bad by the figure's direction, and flat when it rounds to nothing", () => {
    assert.deepEqual(figureChange("deploymentFrequency", 2, 1), { text: "+100%", tone: "good" });
    assert.deepEqual(figureChange("leadTime", 2, 1), { text: "+100%", tone: "bad" });
    assert.deepEqual(figureChange("changeFailureRate", 0.1, 0.15), { text: "−5.0 pts", tone: "good" });
    assert.deepEqual(figureChange("reworkRate", 0.0361, 0.0362), { text: "±0.0 pts", tone: "flat" });
    assert.deepEqual(figureChange("recoveryTime", 100, 0), { text: "new", tone: "bad" });
    assert.deepEqual(figureChange("deploymentFrequency", 0, 0), { text: "±0%", tone: "flat" });
    assert.equal(figureChange("leadTime", null, 5), null);
  });

  test("durations and frequencies read at a glance", () => {
    assert.deepEqual([59, 60, 3_599, 3_600, 48 * 3_600 - 1, 48 * 3_600].map(formatSeconds), ["59 s", "1 min", "60 min", "1.0 h", "48.0 h", "2.0 days"]);
    assert.equal(formatFigure("deploymentFrequency", 1), "1.0 / day");
    assert.equal(formatFigure("deploymentFrequency", 1 / 7), "1.0 / week");
    assert.equal(formatFigure("deploymentFrequency", 1 / 30), "1.0 / month");
    assert.equal(formatFigure("changeFailureRate", 0.125), "12.5%");
    assert.equal(formatFigure("leadTime", null), "–");
  });
});
