import express from "express";
import { z } from "zod";
import { EventInput, parseEventBatch } from "@drumbeat/events";
import { writeEvents, type Store } from "@drumbeat/store";
import { ValidationError } from "../errors.ts";
import { freshEvents, type AfterWrite } from "../http/afterWrite.ts";
import { decodeEventBody } from "../http/eventBody.ts";
import type { ApiRouter } from "../http/route.ts";

export const PostEventsV1Response = z.object({ accepted: z.number(), duplicates: z.number(), ids: z.array(z.string()) });

/**
 * POST /api/v1/events: all items are validated before anything is written; a batch with
 * one bad item is rejected whole. The answer comes after ClickHouse has the rows.
 */
export function eventRoutes(api: ApiRouter, store: Store, maxBodyBytes: number, afterWrite?: AfterWrite) {
  api.define({
    method: "post",
    path: "/api/v1/events",
    summary: "Ingest events: one JSON event, a JSON array, or NDJSON",
    tags: ["ingest"],
    scope: "ingest",
    before: [express.raw({ type: () => true, limit: maxBodyBytes })],
    documentedBody: z.union([EventInput, z.array(EventInput)]).describe("application/json, or application/x-ndjson with one event per line"),
    response: PostEventsV1Response,
    status: 202,
    handler: async ({ req }) => {
      const items = decodeEventBody(req.get("content-type"), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      const batch = parseEventBatch(items);
      if (!batch.ok) throw new ValidationError("invalid_events", batch.issues);
      const written = await writeEvents(store, batch.events);
      afterWrite?.(freshEvents(batch.events, written.ids));
      return written;
    },
  });
}
