import { z } from "zod";

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** An ISO 8601 week, `2026-W47`: Monday 00:00 UTC to the next Monday (DORA weeks are UTC too). */
export const IsoWeek = z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, "an ISO week such as 2026-W47").refine(
  (week) => isoWeekOf(weekRange(week).from) === week,
  "this year has no such week",
);

/** The Monday of week 1: the week holding 4 January. */
function firstMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
}

export function weekRange(week: string): { from: Date; to: Date } {
  const [year, number] = week.split("-W").map(Number) as [number, number];
  const from = firstMonday(year) + (number - 1) * WEEK;
  return { from: new Date(from), to: new Date(from + WEEK) };
}

/** The ISO week holding `at` (UTC). */
export function isoWeekOf(at: Date): string {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const number = Math.floor((thursday - firstMonday(year)) / WEEK) + 1;
  return `${year}-W${String(number).padStart(2, "0")}`;
}

export function previousWeek(week: string): string {
  return isoWeekOf(new Date(weekRange(week).from.getTime() - DAY));
}
