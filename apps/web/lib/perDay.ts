import type { DeploymentStatusName, DeploymentSummary } from "./types.ts";

export type DayCounts = { day: string } & Record<DeploymentStatusName, number>;

const DAY_MS = 86_400_000;
/** Longest run of days drawn: the chart is a glance at cadence, not a history. */
export const MAX_DAYS = 60;

/**
 * Deployments per UTC day (by start time) and current status, oldest day first, with the
 * quiet days in between kept as zeros so gaps in cadence stay visible.
 */
export function deploymentsPerDay(deployments: readonly DeploymentSummary[]): DayCounts[] {
  const byDay = new Map<number, DayCounts>();
  for (const deployment of deployments) {
    const day = Math.floor(Date.parse(deployment.startedAt) / DAY_MS);
    const counts = byDay.get(day) ?? emptyDay(day);
    counts[deployment.status] += 1;
    byDay.set(day, counts);
  }
  if (byDay.size === 0) return [];
  const last = Math.max(...byDay.keys());
  const first = Math.max(Math.min(...byDay.keys()), last - MAX_DAYS + 1);
  const days: DayCounts[] = [];
  for (let day = first; day <= last; day++) days.push(byDay.get(day) ?? emptyDay(day));
  return days;
}

function emptyDay(day: number): DayCounts {
  return { day: new Date(day * DAY_MS).toISOString().slice(0, 10), started: 0, succeeded: 0, failed: 0, rolled_back: 0 };
}
