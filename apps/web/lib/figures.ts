import type { DoraFigures, DoraLevel, DoraThresholds } from "./types.ts";

/** The five tiles of the overview, in order, with how each figure is read and judged. */
export const FIGURE_KEYS = ["deploymentFrequency", "leadTime", "changeFailureRate", "recoveryTime", "reworkRate"] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

export const FIGURE_TITLES: Record<FigureKey, string> = {
  deploymentFrequency: "Deployment frequency",
  leadTime: "Lead time for changes",
  changeFailureRate: "Change failure rate",
  recoveryTime: "Failed deployment recovery time",
  reworkRate: "Rework rate",
};

/** The per-service (or team) table's columns: every figure, under a short label. */
export const GROUP_COLUMNS = [
  { key: "deploymentFrequency", label: "Deploys" },
  { key: "leadTime", label: "Lead time" },
  { key: "changeFailureRate", label: "Change failure" },
  { key: "recoveryTime", label: "Recovery" },
  { key: "reworkRate", label: "Rework" },
] as const satisfies readonly { key: FigureKey; label: string }[];
export type GroupColumn = (typeof GROUP_COLUMNS)[number]["key"];

/** Whether a higher value is better; it decides the colour of a change. */
const HIGHER_IS_BETTER: Record<FigureKey, boolean> = {
  deploymentFrequency: true, leadTime: false, changeFailureRate: false, recoveryTime: false, reworkRate: false,
};

/** The number a tile shows and its sparkline plots; null when the sample is too small. */
export function figureValue(figures: DoraFigures, key: FigureKey): number | null {
  switch (key) {
    case "deploymentFrequency": return figures.deploymentFrequency.count === 0 ? 0 : figures.deploymentFrequency.perDay;
    case "leadTime": return figures.leadTime.medianSeconds;
    case "changeFailureRate": return figures.changeFailureRate.rate;
    case "recoveryTime": return figures.recoveryTime.medianSeconds;
    case "reworkRate": return figures.reworkRate.rate;
  }
}

export function figureLevel(figures: DoraFigures, key: FigureKey): DoraLevel | null {
  return key === "reworkRate" ? null : figures[key].level;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3_600) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

export const formatRate = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function formatPerDay(perDay: number): string {
  if (perDay >= 1) return `${perDay.toFixed(1)} / day`;
  if (perDay * 7 >= 1) return `${(perDay * 7).toFixed(1)} / week`;
  return `${(perDay * 30).toFixed(1)} / month`;
}

export function formatFigure(key: FigureKey, value: number | null): string {
  if (value === null) return "–";
  if (key === "deploymentFrequency") return formatPerDay(value);
  if (key === "leadTime" || key === "recoveryTime") return formatSeconds(value);
  return formatRate(value);
}

/** What the value counts, so a dash or a small sample explains itself. */
export function figureSample(figures: DoraFigures, key: FigureKey): string {
  switch (key) {
    case "deploymentFrequency": return `${figures.deploymentFrequency.count} deployments, ${figures.deploymentFrequency.rollbacks} rollbacks`;
    case "leadTime": return `median of ${figures.leadTime.commits} commits`;
    case "changeFailureRate": return `${figures.changeFailureRate.failed} of ${figures.changeFailureRate.total} deployments`;
    case "recoveryTime": return `median of ${figures.recoveryTime.failures - figures.recoveryTime.unrecovered} recoveries, ${figures.recoveryTime.unrecovered} open`;
    case "reworkRate": return `${figures.reworkRate.rework} of ${figures.reworkRate.total} deployments`;
  }
}

export type Tone = "good" | "bad" | "flat";

/**
 * The change against the previous period, in the figure's own terms (points for rates, percent
 * otherwise), and whether it is good news. A change that rounds to nothing is flat.
 */
export function figureChange(key: FigureKey, current: number | null, previous: number | null): { text: string; tone: Tone } | null {
  if (current === null || previous === null) return null;
  const isRate = key === "changeFailureRate" || key === "reworkRate";
  if (!isRate && previous === 0) return current === 0 ? { text: "±0%", tone: "flat" } : { text: "new", tone: HIGHER_IS_BETTER[key] ? "good" : "bad" };
  const shown = isRate ? (current - previous) * 100 : ((current - previous) / previous) * 100;
  const rounded = Number(shown.toFixed(isRate ? 1 : 0));
  const tone: Tone = rounded === 0 ? "flat" : (rounded > 0) === HIGHER_IS_BETTER[key] ? "good" : "bad";
  const sign = rounded > 0 ? "+" : rounded < 0 ? "−" : "±";
  return { text: `${sign}${Math.abs(rounded).toFixed(isRate ? 1 : 0)}${isRate ? " pts" : "%"}`, tone };
}

/** The thresholds behind a level, in words, with their source. */
export function thresholdText(thresholds: DoraThresholds, key: FigureKey): string | null {
  if (key === "reworkRate") return null;
  const bounds = thresholds[key];
  const fmt = (value: number) => key === "changeFailureRate" ? formatRate(value) : key === "deploymentFrequency" ? formatPerDay(value) : formatSeconds(value);
  const op = key === "deploymentFrequency" ? "≥" : key === "changeFailureRate" ? "≤" : "<";
  return `Elite ${op} ${fmt(bounds.elite)}, High ${op} ${fmt(bounds.high)}, Medium ${op} ${fmt(bounds.medium)}, else Low. Source: ${thresholds.report}, ${thresholds.url}`;
}
