import { z } from "zod";
import { pendingMigrations, type Store } from "@drumbeat/store";
import { HttpError } from "../errors.ts";
import type { ApiRouter } from "../http/route.ts";

/** /healthz: the process answers. /readyz: the store answers and every migration is applied. */
export function healthRoutes(api: ApiRouter, store: Store) {
  api.define({
    method: "get",
    path: "/healthz",
    summary: "Liveness",
    tags: ["health"],
    scope: "public",
    response: z.object({ status: z.literal("ok") }),
    handler: async () => ({ status: "ok" as const }),
  });

  api.define({
    method: "get",
    path: "/readyz",
    summary: "Readiness: store reachable, migrations applied",
    tags: ["health"],
    scope: "public",
    response: z.object({ status: z.literal("ready"), store: z.enum(["embedded", "server"]) }),
    handler: async () => {
      try {
        await store.ping();
      } catch {
        throw new HttpError(503, "store_unreachable", "ClickHouse does not answer");
      }
      const pending = await pendingMigrations(store);
      if (pending.length > 0) throw new HttpError(503, "migrations_pending", `pending: ${pending.join(", ")}`);
      return { status: "ready" as const, store: store.backend };
    },
  });
}
