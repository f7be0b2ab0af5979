import { z } from "zod";
import type { Store } from "../store.ts";

export const ServiceRow = z.object({
  service: z.string(),
  teams: z.array(z.string()),
  environments: z.array(z.string()),
  lastEventAt: z.string(),
  events: z.number(),
});

/** Every service seen in any event, with the teams and environments it appeared in (clickhouse/0075). */
export async function listServices(store: Store) {
  const services = await store.query({
    name: "services.list",
    sql: `SELECT service,
        arraySort(groupUniqArrayIf(team, team != '')) AS teams,
        arraySort(groupUniqArray(environment)) AS environments,
        max(last_event_at) AS lastEventAt,
        sum(events) AS events
      FROM service_catalog
      GROUP BY service
      ORDER BY service`,
    rows: ServiceRow,
  });
  const teams = [...new Set(services.flatMap((s) => s.teams))].sort();
  const environments = [...new Set(services.flatMap((s) => s.environments))].sort();
  return { services, teams, environments };
}
