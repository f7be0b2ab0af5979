/**
 * How the release insights page reads the API's figures: rates with their 95% interval, and
 * the heatmap's shading. The page computes nothing else; every number is the API's.
 */
import type { Proportion } from "./types.ts";

/** Fewer deployments than this in a cell (or bucket) are shown hatched: too few to judge (the API's verdict uses the same 5). */
export const TOO_FEW = 5;

export const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/** "20% (95% interval 6%–51%)", or "no deployments" when there is nothing to rate. */
export function rateWithInterval(share: Proportion): string {
  if (share.rate === null || share.low === null || share.high === null) return "no deployments";
  return `${percent(share.rate)} (95% interval ${percent(share.low)}–${percent(share.high)})`;
}

export const failedOf = (share: Proportion) => `${share.failed} of ${share.total} failed`;

/**
 * The shade of a heatmap cell: `none` with no deployments, `few` under TOO_FEW (an empty or
 * tiny cell must not read as safe), else one of five steps of the failure rate.
 */
export type Shade = "none" | "few" | 0 | 1 | 2 | 3 | 4;
export const SHADE_STEPS = [
  { shade: 0, label: "0%", below: 0 },
  { shade: 1, label: "under 10%", below: 0.1 },
  { shade: 2, label: "10–20%", below: 0.2 },
  { shade: 3, label: "20–35%", below: 0.35 },
  { shade: 4, label: "35% or more", below: Infinity },
] as const;

export function shadeOf(share: Proportion): Shade {
  if (share.total === 0 || share.rate === null) return "none";
  if (share.total < TOO_FEW) return "few";
  if (share.rate === 0) return 0;
  return SHADE_STEPS.find((step) => step.shade > 0 && share.rate! < step.below)!.shade;
}

export const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
const pad = (hour: number) => String(hour).padStart(2, "0");
export const hourRange = (hour: number) => `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;

/** What a screen reader (and a hover) says of one heatmap cell. */
export function cellDescription(day: string, hours: string, share: Proportion): string {
  if (share.total === 0) return `${day} ${hours}: no deployments`;
  const judged = share.total < TOO_FEW ? "; too few to judge" : "";
  return `${day} ${hours}: ${share.total} deployment${share.total === 1 ? "" : "s"}, ${share.failed} failed, ${rateWithInterval(share)}${judged}`;
}

/** The zone the page asked for, when this runtime knows it (the API checks the same way). */
export function knownTimeZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}
