import express from "express";
import { z } from "zod";
import type { DoraSettings } from "@drumbeat/analysis";
import { listServices, type Store } from "@drumbeat/store";
import { HttpError, ValidationError } from "../errors.ts";
import type { ApiRouter } from "../http/route.ts";
import { grafanaAlertRoutes } from "../grafana/alerts.ts";
import { GRAFANA_METRICS, metricNamed } from "../grafana/catalogue.ts";
import {
  GrafanaMetricsBody, GrafanaMetricsResponse, GrafanaPayloadOptionsBody, GrafanaPayloadOptionsResponse, GrafanaQueryBody,
  GrafanaQueryResponse, GrafanaTagKeysResponse, GrafanaTagValuesBody, GrafanaTagValuesResponse, GrafanaVariableBody,
  GrafanaVariableResponse, type GrafanaQueryResult,
} from "../grafana/protocol.ts";
import { SCOPE_KEYS, adHocScope, type ScopeKey } from "../grafana/scope.ts";

const TAGS = ["grafana"];

/** The values of a scope key Drumbeat has seen: services (of a team, when given), teams or environments. */
async function scopeValues(store: Store, key: ScopeKey, team?: string): Promise<string[]> {
  const catalog = await listServices(store);
  if (key === "team") return catalog.teams;
  if (key === "environment") return catalog.environments;
  return catalog.services.filter((s) => !team || s.teams.includes(team)).map((s) => s.service);
}

const VARIABLES: Record<string, (store: Store) => Promise<string[]>> = {
  services: (store) => scopeValues(store, "service"),
  teams: (store) => scopeValues(store, "team"),
  environments: (store) => scopeValues(store, "environment"),
  metrics: async () => GRAFANA_METRICS.map((m) => m.value),
};

/**
 * The simpod-json-datasource protocol under /grafana (docs/grafana.md): point the plugin's
 * URL at https://<drumbeat>/grafana with a read token as its bearer header.
 */
export function grafanaRoutes(api: ApiRouter, store: Store, settings: DoraSettings, maxBodyBytes: number) {
  // Bodies are parsed per route, after the token check.
  const json = express.json({ limit: maxBodyBytes });
  grafanaAlertRoutes(api, store, settings);

  api.define({
    method: "get",
    path: "/grafana/",
    summary: "Grafana JSON data source: test connection (checks the token too)",
    tags: TAGS,
    scope: "read",
    response: z.object({ status: z.literal("ok"), metrics: z.number() }),
    handler: async () => ({ status: "ok" as const, metrics: GRAFANA_METRICS.length }),
  });

  api.define({
    method: "post",
    before: [json],
    path: "/grafana/metrics",
    summary: "Grafana JSON data source: what can be queried, with each metric's payload options",
    tags: TAGS,
    scope: "read",
    body: GrafanaMetricsBody,
    response: GrafanaMetricsResponse,
    handler: async () => GRAFANA_METRICS.map(({ value, label, payloads }) => ({ value, label, payloads })),
  });

  api.define({
    method: "post",
    before: [json],
    path: "/grafana/metric-payload-options",
    summary: "Grafana JSON data source: the options of a metric's select (services, teams, environments)",
    tags: TAGS,
    scope: "read",
    body: GrafanaPayloadOptionsBody,
    response: GrafanaPayloadOptionsResponse,
    handler: async ({ body }) => {
      const metric = metricNamed(body.metric);
      if (!metric) throw new ValidationError("invalid_body", [{ path: "body.metric", message: `unknown metric '${body.metric}'` }]);
      const definition = metric.payloads.find((p) => p.name === body.name);
      if (!definition) throw new ValidationError("invalid_body", [{ path: "body.name", message: `${body.metric} has no payload '${body.name}'` }]);
      if (definition.options) return definition.options;
      const team = typeof body.payload.team === "string" && body.payload.team !== "" ? body.payload.team : undefined;
      const values = await scopeValues(store, body.name as ScopeKey, body.name === "service" ? team : undefined);
      return values.map((value) => ({ label: value, value }));
    },
  });

  api.define({
    method: "post",
    before: [json],
    path: "/grafana/query",
    summary: "Grafana JSON data source: time series and tables for the targets of a panel, over Grafana's range",
    tags: TAGS,
    scope: "read",
    body: GrafanaQueryBody,
    response: GrafanaQueryResponse,
    handler: async ({ body }) => {
      const from = new Date(body.range.from);
      const to = new Date(body.range.to);
      if (from >= to) throw new HttpError(400, "invalid_range", "range.from must be before range.to");
      const adHoc = adHocScope(body);
      const results: GrafanaQueryResult[] = [];
      // In order, one after the other: each DORA read already uses every core.
      for (const [index, target] of body.targets.entries()) {
        if (target.hide) continue;
        const metric = metricNamed(target.target);
        if (!metric) throw new ValidationError("invalid_body", [{ path: `body.targets.${index}.target`, message: `unknown metric '${target.target}'; POST /grafana/metrics lists them` }]);
        const parsed = metric.payload.safeParse({ ...target.payload, ...adHoc });
        if (!parsed.success) {
          throw new ValidationError("invalid_body", parsed.error.issues.map((issue) => ({
            path: [`body.targets.${index}.payload`, ...issue.path.map(String)].join("."),
            message: issue.message,
          })));
        }
        results.push(...await metric.query({ store, settings, from, to, intervalMs: body.intervalMs, maxDataPoints: body.maxDataPoints, payload: parsed.data }));
      }
      return results;
    },
  });

  api.define({
    method: "post",
    before: [json],
    path: "/grafana/variable",
    summary: "Grafana JSON data source: values of a dashboard variable (services, teams, environments, metrics)",
    tags: TAGS,
    scope: "read",
    body: GrafanaVariableBody,
    response: GrafanaVariableResponse,
    handler: async ({ body }) => {
      const list = VARIABLES[body.payload.target];
      if (!list) throw new ValidationError("invalid_body", [{ path: "body.payload.target", message: `one of ${Object.keys(VARIABLES).join(", ")}` }]);
      return (await list(store)).map((value) => ({ text: value, value, __text: value, __value: value }));
    },
  });

  api.define({
    method: "post",
    before: [json],
    path: "/grafana/tag-keys",
    summary: "Grafana JSON data source: the keys of ad hoc filters",
    tags: TAGS,
    scope: "read",
    response: GrafanaTagKeysResponse,
    handler: async () => SCOPE_KEYS.map((text) => ({ type: "string" as const, text })),
  });

  api.define({
    method: "post",
    before: [json],
    path: "/grafana/tag-values",
    summary: "Grafana JSON data source: the values of an ad hoc filter key",
    tags: TAGS,
    scope: "read",
    body: GrafanaTagValuesBody,
    response: GrafanaTagValuesResponse,
    handler: async ({ body }) => {
      if (!(SCOPE_KEYS as readonly string[]).includes(body.key)) {
        throw new ValidationError("invalid_body", [{ path: "body.key", message: `one of ${SCOPE_KEYS.join(", ")}` }]);
      }
      return (await scopeValues(store, body.key as ScopeKey)).map((text) => ({ text }));
    },
  });
}
