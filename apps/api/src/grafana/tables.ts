import { z } from "zod";
import { doraFailures } from "@drumbeat/analysis";
import { listDeployments, listIncidents } from "@drumbeat/store";
import { SCOPE_PAYLOADS, type GrafanaMetric, type MetricQuery } from "./metric.ts";
import type { GrafanaTable } from "./protocol.ts";
import { ScopePayload } from "./scope.ts";

const TablePayload = ScopePayload.extend({ limit: z.coerce.number().int().min(1).max(500).default(100) });
type TablePayload = z.infer<typeof TablePayload>;
const LIMIT_PAYLOAD = { name: "limit", label: "Rows", type: "input" as const, placeholder: "100", width: 10 };

const ms = (iso: string) => Date.parse(iso);
const rangeOf = (query: MetricQuery<TablePayload>) => ({ from: query.from.toISOString(), to: query.to.toISOString() });

function table(value: string, label: string, rows: (query: MetricQuery<TablePayload>) => Promise<Omit<GrafanaTable, "type">>): GrafanaMetric<TablePayload> {
  return {
    value,
    label,
    payloads: [...SCOPE_PAYLOADS, LIMIT_PAYLOAD],
    payload: TablePayload,
    query: async (query) => [{ type: "table", ...(await rows(query)) }],
  };
}

/** Deployments of the scope whose latest status falls in the range (every environment unless one is chosen). */
const recentDeployments = table("table.deployments", "Recent deployments", async (query) => {
  const { limit, ...scope } = query.payload;
  const { deployments } = await listDeployments(query.store, { ...scope, ...rangeOf(query), limit });
  return {
    columns: [
      { text: "Time", type: "time" }, { text: "Service", type: "string" }, { text: "Environment", type: "string" },
      { text: "Team", type: "string" }, { text: "Version", type: "string" }, { text: "Status", type: "string" },
      { text: "Kind", type: "string" }, { text: "Deployment", type: "string" },
    ],
    rows: deployments.map((d) => [ms(d.statusAt), d.service, d.environment, d.team, d.version, d.status, d.kind, d.deploymentId]),
  };
});

/** The failed deployments behind the change failure rate, with why each failed and how it recovered. */
const changeFailures = table("table.change_failures", "Change failures with reasons", async (query) => {
  const { limit, ...scope } = query.payload;
  const { failures } = await doraFailures(query.store, { ...scope, ...rangeOf(query), limit }, query.settings);
  return {
    columns: [
      { text: "Time", type: "time" }, { text: "Service", type: "string" }, { text: "Team", type: "string" },
      { text: "Deployment", type: "string" }, { text: "Reasons", type: "string" }, { text: "Recovered by", type: "string" },
      { text: "Recovery (s)", type: "number" },
    ],
    // A table cell is a string or a number: an unrecovered failure has an empty "recovered by" and -1 seconds.
    rows: failures.map((f) => [ms(f.deployedAt), f.service, f.team, f.deploymentId, f.reasons.join(", "), f.recoveredBy ?? "", f.recoverySeconds ?? -1]),
  };
});

/** Each deployment's metric verdict (docs/metrics.md): regressed, improved, no_change, not_enough_data; empty until computed. */
const deploymentVerdicts = table("table.deployment_verdicts", "Deployment verdicts (metric impact)", async (query) => {
  const { limit, ...scope } = query.payload;
  const { deployments } = await listDeployments(query.store, { ...scope, ...rangeOf(query), limit });
  return {
    columns: [
      { text: "Time", type: "time" }, { text: "Service", type: "string" }, { text: "Environment", type: "string" },
      { text: "Version", type: "string" }, { text: "Deployment", type: "string" }, { text: "Verdict", type: "string" },
    ],
    rows: deployments.map((d) => [ms(d.statusAt), d.service, d.environment, d.version, d.deploymentId, d.verdict ?? ""]),
  };
});

const incidents = table("table.incidents", "Incidents", async (query) => {
  const { limit, ...scope } = query.payload;
  const rows = await listIncidents(query.store, { ...scope, ...rangeOf(query), limit });
  return {
    columns: [
      { text: "Time", type: "time" }, { text: "Service", type: "string" }, { text: "Severity", type: "string" },
      { text: "Title", type: "string" }, { text: "Status", type: "string" }, { text: "Caused by", type: "string" },
      { text: "Resolved", type: "string" },
    ],
    rows: rows.map((i) => [ms(i.openedAt), i.service, i.severity, i.title, i.status, i.causedBy, i.resolvedAt ?? ""]),
  };
});

/**
 * Deployment markers for Grafana annotations: deployments, rollbacks and incidents as rows
 * of time, timeEnd, title, text, tags (comma-separated; Grafana splits them). Deployments
 * of the production environment unless the scope names another.
 */
const markers = table("annotations.markers", "Deployment markers (annotations)", async (query) => {
  const { limit, ...scope } = query.payload;
  const environment = scope.environment ?? query.settings.productionEnvironment;
  const filter = { ...scope, environment, ...rangeOf(query), limit };
  const { deployments } = await listDeployments(query.store, filter);
  const opened = await listIncidents(query.store, filter);
  const rows: (string | number)[][] = [
    ...deployments.map((d) => {
      const what = d.kind === "rollback" ? "rollback" : "deployment";
      return [
        ms(d.startedAt), ms(d.statusAt),
        `${d.service} ${d.version} ${d.kind === "rollback" ? `rolls back ${d.rollsBack}` : d.status}`,
        `${what} ${d.deploymentId} by ${d.actor || "unknown"} (${d.strategy || "strategy unknown"})`,
        [what, d.status, d.service, d.environment, d.version].filter(Boolean).join(","),
      ];
    }),
    ...opened.map((i) => [
      ms(i.openedAt), i.resolvedAt ? ms(i.resolvedAt) : query.to.getTime(),
      `${i.service} incident ${i.incidentId}${i.severity ? ` (${i.severity})` : ""}`,
      i.title || i.incidentId,
      ["incident", i.status, i.service, i.environment].join(","),
    ]),
  ];
  rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return {
    columns: [
      { text: "time", type: "time" }, { text: "timeEnd", type: "time" }, { text: "title", type: "string" },
      { text: "text", type: "string" }, { text: "tags", type: "string" },
    ],
    rows,
  };
});

export const TABLES: GrafanaMetric[] = [recentDeployments, changeFailures, deploymentVerdicts, incidents, markers];
