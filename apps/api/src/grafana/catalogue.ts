import { DORA_SERIES } from "./doraSeries.ts";
import type { GrafanaMetric } from "./metric.ts";
import { TABLES } from "./tables.ts";

/**
 * Everything Grafana can query, in the order its metric picker lists it.
 *
 * Deployment verdicts are `table.deployment_verdicts` (tables.ts). Metric series and
 * use-case results would plug in here as further GrafanaMetric entries (a
 * `metrics.series` time series, a `table.broken_usecases` table); until they do, they are
 * not listed rather than answered with nothing.
 */
export const GRAFANA_METRICS: readonly GrafanaMetric[] = [...DORA_SERIES, ...TABLES];

export function metricNamed(value: string): GrafanaMetric | undefined {
  return GRAFANA_METRICS.find((metric) => metric.value === value);
}
