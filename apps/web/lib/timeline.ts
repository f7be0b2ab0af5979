/**
 * The deployments timeline: one metric of one service in one environment over a window,
 * with each deployment as a marker colored by its outcome and each incident as a band.
 * Pure functions, so the rules (default metric, outcome, clipping) are tested without a browser.
 */
import { single } from "./filters.ts";
import type { IncidentSummary, MetricCatalog, ServiceCatalog } from "./types.ts";

/** Each window's step keeps a series near 300 points, well under the API's 10,000 per series. */
export const TIMELINE_WINDOWS = [
  { key: "24h", label: "Last 24 hours", hours: 24, stepSeconds: 300 },
  { key: "7d", label: "Last 7 days", hours: 24 * 7, stepSeconds: 1800 },
  { key: "30d", label: "Last 30 days", hours: 24 * 30, stepSeconds: 7200 },
] as const;
export type TimelineWindow = (typeof TIMELINE_WINDOWS)[number];
const DEFAULT_WINDOW = "7d";

type SearchParams = Record<string, string | string[] | undefined>;

export interface TimelineScope {
  service: string;
  environment: string;
  window: TimelineWindow;
  /** The metric asked for in the URL; which one is charted depends on what the service has. */
  metric?: string;
}

/**
 * What the timeline shows: the service of the filters (none: nothing to chart), in the
 * filtered environment, else production when the service has it, else its first one.
 */
export function timelineScopeFrom(params: SearchParams, catalog: ServiceCatalog): TimelineScope | undefined {
  const service = single(params.service);
  const entry = catalog.services.find((candidate) => candidate.service === service);
  if (!service || !entry) return undefined;
  const environment = single(params.environment) ?? (entry.environments.includes("production") ? "production" : entry.environments[0]);
  if (!environment) return undefined;
  const windowKey = single(params.window);
  const window = TIMELINE_WINDOWS.find((candidate) => candidate.key === windowKey) ?? TIMELINE_WINDOWS.find((candidate) => candidate.key === DEFAULT_WINDOW)!;
  return { service, environment, window, metric: single(params.metric) };
}

/** The metric charted: the one asked for when the service has it, else its first error metric, else its first. */
export function chosenMetric(metrics: MetricCatalog["metrics"], wanted: string | undefined): string | undefined {
  return (
    metrics.find((entry) => entry.metric === wanted)?.metric ??
    metrics.find((entry) => entry.group === "errors")?.metric ??
    metrics[0]?.metric
  );
}

/** [from, to) of a window ending now, to the minute (the rollups' grain). */
export function windowRange(window: TimelineWindow, now: Date = new Date()): { from: string; to: string } {
  const to = Math.ceil(now.getTime() / 60_000) * 60_000;
  return { from: new Date(to - window.hours * 3_600_000).toISOString(), to: new Date(to).toISOString() };
}

export interface Band {
  incidentId: string;
  title: string;
  from: number;
  to: number;
  /** Still open at the window's end. */
  open: boolean;
}

/** Incidents as bands from opening to resolution, clipped to the window; those wholly outside are dropped. */
export function bandsOf(incidents: readonly IncidentSummary[], range: { from: string; to: string }): Band[] {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  return incidents
    .map((incident) => {
      const resolved = incident.resolvedAt ? Date.parse(incident.resolvedAt) : undefined;
      return {
        incidentId: incident.incidentId,
        title: incident.title,
        from: Math.max(from, Date.parse(incident.openedAt)),
        to: Math.min(to, resolved ?? to),
        open: resolved === undefined || resolved > to,
      };
    })
    .filter((band) => band.from <= band.to);
}
