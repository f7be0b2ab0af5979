import type { ZodType } from "zod";
import type { DoraSettings } from "@drumbeat/analysis";
import type { Store } from "@drumbeat/store";
import type { GrafanaPayloadDefinition, GrafanaQueryResult } from "./protocol.ts";

/** What a metric's query sees: Grafana's range and resolution, and its payload parsed by the metric's schema. */
export interface MetricQuery<P> {
  store: Store;
  settings: DoraSettings;
  from: Date;
  to: Date;
  intervalMs: number | undefined;
  maxDataPoints: number | undefined;
  payload: P;
}

/**
 * One entry of POST /grafana/metrics. A capability plugs into Grafana by adding entries to
 * the catalogue (catalogue.ts): a name, its payload options and a query; nothing else changes.
 */
export interface GrafanaMetric<P = any> {
  value: string;
  label: string;
  payloads: GrafanaPayloadDefinition[];
  /** Parses the target's payload merged with the request's ad hoc filters; issues name `payload.<field>`. */
  payload: ZodType<P>;
  query(request: MetricQuery<P>): Promise<GrafanaQueryResult[]>;
}

/** The scope selects every metric offers; their options come from POST /grafana/metric-payload-options. */
export const SCOPE_PAYLOADS: GrafanaPayloadDefinition[] = [
  { name: "service", label: "Service", type: "select", placeholder: "all services", width: 24 },
  { name: "team", label: "Team", type: "select", placeholder: "all teams", width: 24 },
  { name: "environment", label: "Environment", type: "select", placeholder: "production", width: 24 },
];
