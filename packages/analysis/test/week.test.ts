import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { IsoWeek, isoWeekOf, previousWeek, weekRange } from "../src/index.ts";

/** ISO 8601 weeks at the turn of the year (expected values from Python's date.isocalendar()). */
describe("ISO weeks", () => {
  const weekOf: Array<[string, string]> = [
    ["2025-12-28T23:59:59.999Z", "2025-W52"],
    ["2025-12-29T00:00:00.000Z", "2026-W01"], // a Monday of December in week 1 of the next year
    ["2026-01-01T12:00:00.000Z", "2026-W01"],
    ["2026-11-16T00:00:00.000Z", "2026-W47"],
    ["2026-11-22T23:59:59.999Z", "2026-W47"],
    ["2024-12-30T00:00:00.000Z", "2025-W01"],
    ["2020-12-31T00:00:00.000Z", "2020-W53"],
    ["2021-01-03T23:59:59.999Z", "2020-W53"], // a January Sunday in week 53 of the year before
    ["2021-01-04T00:00:00.000Z", "2021-W01"],
    ["2027-01-01T00:00:00.000Z", "2026-W53"],
    ["2027-01-04T00:00:00.000Z", "2027-W01"],
  ];
  for (const [at, week] of weekOf) it(`${at} is in ${week}`, () => assert.equal(isoWeekOf(new Date(at)), week));

  it("ranges from Monday 00:00 UTC to the next Monday", () => {
    const cases: Array<[string, string]> = [["2026-W01", "2025-12-29"], ["2026-W47", "2026-11-16"], ["2026-W53", "2026-12-28"], ["2021-W01", "2021-01-04"], ["2020-W53", "2020-12-28"], ["2015-W01", "2014-12-29"]];
    for (const [week, monday] of cases) {
      const from = new Date(`${monday}T00:00:00.000Z`);
      assert.deepEqual(weekRange(week), { from, to: new Date(from.getTime() + 7 * 86_400_000) }, week);
    }
  });

  it("steps back across the turn of the year", () => {
    const cases: Array<[string, string]> = [["2026-W47", "2026-W46"], ["2026-W01", "2025-W52"], ["2021-W01", "2020-W53"], ["2020-W53", "2020-W52"], ["2026-W10", "2026-W09"]];
    for (const [week, before] of cases) assert.equal(previousWeek(week), before, week);
  });

  it("accepts weeks 01 to 53 when the year has them, and nothing else", () => {
    for (const week of ["2026-W01", "2026-W09", "2026-W10", "2026-W19", "2026-W40", "2026-W49", "2026-W50", "2026-W53", "2020-W53"]) assert.ok(IsoWeek.safeParse(week).success, week);
    const refused: Array<[string, RegExp]> = [
      ["2021-W53", /no such week/], ["2027-W53", /no such week/],
      ["2026-W00", /ISO week/], ["2026-W54", /ISO week/], ["2026-W60", /ISO week/], ["2026-W7", /ISO week/], ["2026-W470", /ISO week/],
      ["x2026-W47", /ISO week/], ["26-W47", /ISO week/], ["2026W47", /ISO week/], ["2026-w47", /ISO week/], ["", /ISO week/],
    ];
    for (const [week, message] of refused) {
      const result = IsoWeek.safeParse(week);
      assert.ok(!result.success, week);
      assert.match(result.error.issues[0]!.message, message, week);
    }
  });
});
