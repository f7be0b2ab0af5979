import { z } from "zod";
import { doraFailures, doraGroups, type DoraSettings } from "@drumbeat/analysis";
import type { Store } from "@drumbeat/store";
import type { ApiRouter } from "../http/route.ts";

/**
 * Flat JSON for Grafana alert rules through the Infinity data source (docs/grafana.md#alerting):
 * a window relative to now ("this week" is `days=7`), since an alert query's backend sends
 * its time range only as epoch macros; one row per service, string columns becoming the
 * alert's labels and one number its value.
 */
const ScopeQuery = z.object({
  environment: z.string().max(200).optional(),
  team: z.string().max(200).optional(),
  service: z.string().max(200).optional(),
});

export const ChangeFailureRateRows = z.array(z.object({ service: z.string(), rate: z.number(), failed: z.number(), total: z.number() }));
export const FailedDeploymentRows = z.array(z.object({
  deploymentId: z.string(), service: z.string(), team: z.string(), reasons: z.string(), deployedAt: z.string(), failed: z.literal(1),
}));

export function grafanaAlertRoutes(api: ApiRouter, store: Store, settings: DoraSettings, now = () => new Date()) {
  api.define({
    method: "get",
    path: "/grafana/alerts/change-failure-rate",
    summary: "Alerting (Infinity): change failure rate per service over the last `days` days; services without a rate are left out",
    tags: ["grafana"],
    scope: "read",
    query: ScopeQuery.extend({ days: z.coerce.number().min(1).max(90).default(7) }).strict(),
    response: ChangeFailureRateRows,
    handler: async ({ query: { days, ...scope } }) => {
      const to = now();
      const from = new Date(to.getTime() - days * 86_400_000);
      const { groups } = await doraGroups(store, { ...scope, from: from.toISOString(), to: to.toISOString() }, "service", settings);
      return groups.flatMap((g) => g.changeFailureRate.rate === null ? [] : [{
        service: g.key, rate: g.changeFailureRate.rate, failed: g.changeFailureRate.failed, total: g.changeFailureRate.total,
      }]);
    },
  });

  api.define({
    method: "get",
    path: "/grafana/alerts/failed-deployments",
    summary: "Alerting (Infinity): deployments of the last `minutes` minutes whose verdict is fail, one row each",
    tags: ["grafana"],
    scope: "read",
    query: ScopeQuery.extend({ minutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(15) }).strict(),
    response: FailedDeploymentRows,
    handler: async ({ query: { minutes, ...scope } }) => {
      const to = now();
      const from = new Date(to.getTime() - minutes * 60_000);
      const { failures } = await doraFailures(store, { ...scope, from: from.toISOString(), to: to.toISOString(), limit: 1_000 }, settings);
      return failures.map((f) => ({
        deploymentId: f.deploymentId, service: f.service, team: f.team, reasons: f.reasons.join(", "), deployedAt: f.deployedAt, failed: 1 as const,
      }));
    },
  });
}
