import { DORA_SERIES } from "./doraSeries.ts";
import type { GrafanaMetric } from "./metric.ts";
import { TABLES } from "./tables.ts";

/**
 * Everything Grafana can query, in the order its metric picker lists it.
 *
 * SEAM for the capabilities still being built: metric series (issue #12; deployment
 * verdicts are `table.deployment_verdicts` in tables.ts) and use-case results (issue #13)
 * plug in here by adding their GrafanaMetric entries (e.g. a `metrics.series` time series
 * and a `usecases.pass_rate` / `table.broken_usecases` table); until they land, they are
 * not listed rather than answered with nothing.
 */
export const GRAFANA_METRICS: readonly GrafanaMetric[] = [...DORA_SERIES, ...TABLES];

export function metricNamed(value: string): GrafanaMetric | undefined {
  return GRAFANA_METRICS.find((metric) => metric.value === value);
}
