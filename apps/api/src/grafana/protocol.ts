import { z } from "zod";

/**
 * The simpod-json-datasource protocol (docs/grafana.md), shapes from the plugin's OpenAPI
 * spec (apps/api/test/fixtures/grafana/openapi.yaml). Requests are read leniently: Grafana
 * adds fields of its own (requestId, timezone, app, ...) that are ignored here.
 */

/** What a metric's payload options may hold: a scope filter, a bucket, a limit. */
export const GrafanaPayload = z.record(z.string(), z.unknown()).default({});
export type GrafanaPayload = z.infer<typeof GrafanaPayload>;

const RawTimeFrame = z.object({ from: z.unknown(), to: z.unknown() }).partial();

export const GrafanaRange = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  raw: RawTimeFrame.optional(),
});
export type GrafanaRange = z.infer<typeof GrafanaRange>;

export const GrafanaMetricsBody = z.object({ metric: z.string().optional(), payload: GrafanaPayload.optional() });

export const GrafanaPayloadOptionsBody = z.object({ metric: z.string(), payload: GrafanaPayload, name: z.string() });

/** An ad hoc filter; only equality is meaningful for a service, team or environment. */
export const GrafanaAdHocFilter = z.object({ key: z.string(), operator: z.literal("="), value: z.string() });

export const GrafanaTarget = z.object({
  target: z.string(),
  refId: z.string().optional(),
  payload: GrafanaPayload.optional(),
  /** Grafana sends disabled queries with `hide: true`; they are not answered. */
  hide: z.boolean().optional(),
});
export type GrafanaTarget = z.infer<typeof GrafanaTarget>;

export const GrafanaQueryBody = z.object({
  panelId: z.union([z.string(), z.number()]).optional(),
  range: GrafanaRange,
  rangeRaw: RawTimeFrame.optional(),
  interval: z.string().optional(),
  intervalMs: z.number().positive().optional(),
  maxDataPoints: z.number().int().positive().optional(),
  targets: z.array(GrafanaTarget),
  scopedVars: z.record(z.string(), z.unknown()).optional(),
  filters: z.array(GrafanaAdHocFilter).optional(),
  /** Older plugin versions name the ad hoc filters `adhocFilters`. */
  adhocFilters: z.array(GrafanaAdHocFilter).optional(),
});
export type GrafanaQueryBody = z.infer<typeof GrafanaQueryBody>;

export const GrafanaVariableBody = z.object({
  payload: z.object({ target: z.string(), variables: z.record(z.string(), z.unknown()).optional() }),
  range: GrafanaRange.partial().optional(),
});

export const GrafanaTagValuesBody = z.object({ key: z.string() });

// Responses

const PayloadOption = z.object({ label: z.string().optional(), value: z.string() });
export type PayloadOption = z.infer<typeof PayloadOption>;

export const GrafanaPayloadDefinition = z.object({
  label: z.string().optional(),
  name: z.string(),
  type: z.enum(["select", "multi-select", "input", "textarea"]).optional(),
  placeholder: z.string().optional(),
  reloadMetric: z.boolean().optional(),
  width: z.number().int().optional(),
  options: z.array(PayloadOption).optional(),
});
export type GrafanaPayloadDefinition = z.infer<typeof GrafanaPayloadDefinition>;

export const GrafanaMetricsResponse = z.array(z.object({
  label: z.string().optional(),
  value: z.string(),
  payloads: z.array(GrafanaPayloadDefinition),
}));

export const GrafanaPayloadOptionsResponse = z.array(PayloadOption);

/** `datapoints` are [value, unix milliseconds]: value first. */
export const GrafanaTimeSeries = z.object({ target: z.string(), datapoints: z.array(z.tuple([z.number(), z.number()])) });
export type GrafanaTimeSeries = z.infer<typeof GrafanaTimeSeries>;

export const GrafanaColumn = z.object({ text: z.string(), type: z.enum(["time", "string", "number"]) });
export const GrafanaTable = z.object({
  type: z.literal("table"),
  columns: z.array(GrafanaColumn),
  rows: z.array(z.array(z.union([z.string(), z.number()]))),
});
export type GrafanaTable = z.infer<typeof GrafanaTable>;

export const GrafanaQueryResponse = z.array(z.union([GrafanaTimeSeries, GrafanaTable]));
export type GrafanaQueryResult = z.infer<typeof GrafanaQueryResponse>[number];

/** The spec requires `text`/`value` but names `__text`/`__value`; the plugin reads the latter. Both are sent. */
export const GrafanaVariableResponse = z.array(z.object({ text: z.string(), value: z.string(), __text: z.string(), __value: z.string() }));

export const GrafanaTagKeysResponse = z.array(z.object({ type: z.literal("string"), text: z.string() }));
export const GrafanaTagValuesResponse = z.array(z.object({ text: z.string() }));
