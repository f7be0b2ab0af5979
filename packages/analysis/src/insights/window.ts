import { z } from "zod";
import type { Store } from "@drumbeat/store";
import type { DoraSettings } from "../dora/definitions.ts";
import { proportion, readInsight } from "./read.ts";
import { ReleaseWindowQuery, type Proportion, type ReleaseWindow } from "./schemas.ts";
import { RELEASE_WINDOW } from "./sql/window.ts";

const CellRow = z.object({ day: z.number().int(), hour: z.number().int(), total: z.number().int(), failed_count: z.number().int() });
type CellRow = z.infer<typeof CellRow>;

const FRIDAY = 5;
/** Friday afternoon: 12:00 to 18:00. */
const isFridayAfternoon = (row: { day: number; hour: number }) => row.day === FRIDAY && row.hour >= 12 && row.hour < 18;

const sum = (rows: CellRow[]) => proportion(rows.reduce((n, r) => n + r.failed_count, 0), rows.reduce((n, r) => n + r.total, 0));
const percent = (value: number | null) => `${Math.round((value ?? 0) * 100)}%`;

/** Friday afternoon against the rest of the week, in words: a difference counts only when the intervals do not overlap. */
export function fridaySentence(friday: Proportion, rest: Proportion): string {
  if (friday.total === 0) return "No deployments on Friday afternoons in this range: nothing says whether they are safe or not.";
  if (rest.total === 0) return "Every deployment of this range was on a Friday afternoon: nothing to compare with.";
  const rates = `${percent(friday.rate)} (95% interval ${percent(friday.low)}–${percent(friday.high)}) of ${friday.total} Friday-afternoon deployments failed, ` +
    `against ${percent(rest.rate)} (${percent(rest.low)}–${percent(rest.high)}) of ${rest.total} at other times`;
  if (friday.low! > rest.high!) return `Friday afternoons fail more often here: ${rates}.`;
  if (rest.low! > friday.high!) return `Friday afternoons fail less often here: ${rates}.`;
  return `Friday afternoons do not fail measurably more often here: ${rates}; the intervals overlap.`;
}

/** Deployments and change failure rate by hour of day and day of week in a chosen time zone, every cell included. */
export async function releaseWindow(store: Store, query: ReleaseWindowQuery, settings: DoraSettings, now = new Date()): Promise<ReleaseWindow> {
  const { timeZone, ...scope } = ReleaseWindowQuery.parse(query);
  return readInsight(store, scope, settings, now, async (params) => {
    const rows = await store.query({ name: "insights.window", sql: RELEASE_WINDOW, params: { ...params, timeZone }, rows: CellRow });
    const days = [1, 2, 3, 4, 5, 6, 7];
    const hours = Array.from({ length: 24 }, (_, hour) => hour);
    const friday = sum(rows.filter(isFridayAfternoon));
    const rest = sum(rows.filter((r) => !isFridayAfternoon(r)));
    return {
      timeZone,
      cells: days.flatMap((dayOfWeek) => hours.map((hour) => ({
        dayOfWeek, hour, changeFailureRate: sum(rows.filter((r) => r.day === dayOfWeek && r.hour === hour)),
      }))),
      days: days.map((dayOfWeek) => ({ dayOfWeek, changeFailureRate: sum(rows.filter((r) => r.day === dayOfWeek)) })),
      hours: hours.map((hour) => ({ hour, changeFailureRate: sum(rows.filter((r) => r.hour === hour)) })),
      fridayAfternoon: { friday, rest, sentence: fridaySentence(friday, rest) },
    };
  });
}
