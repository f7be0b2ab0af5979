import { z } from "zod";
import { IncidentListQuery, IncidentSummary, ServiceRow, listIncidents, listServices, type Store } from "@drumbeat/store";
import type { ApiRouter } from "../http/route.ts";

export const GetIncidentsV1Response = z.object({ incidents: z.array(IncidentSummary) });
export const GetServicesV1Response = z.object({
  services: z.array(ServiceRow),
  teams: z.array(z.string()),
  environments: z.array(z.string()),
});

/** Incidents and the services, teams and environments seen: what the dashboard's filters list. */
export function catalogRoutes(api: ApiRouter, store: Store) {
  api.define({
    method: "get",
    path: "/api/v1/incidents",
    summary: "Incidents opened in the range, newest first",
    tags: ["incidents"],
    scope: "read",
    query: IncidentListQuery.strict(),
    response: GetIncidentsV1Response,
    handler: async ({ query }) => ({ incidents: await listIncidents(store, query) }),
  });

  api.define({
    method: "get",
    path: "/api/v1/services",
    summary: "Services seen, with their teams and environments",
    tags: ["catalog"],
    scope: "read",
    response: GetServicesV1Response,
    handler: () => listServices(store),
  });
}
