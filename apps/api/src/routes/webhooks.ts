import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { COLLECTORS, SourceName, collectorFor, deliveryIdOf, keptHeaders, secretEnvName, type Collector, type CollectorsConfig } from "@drumbeat/collectors";
import type { Store } from "@drumbeat/store";
import { HttpError, ValidationError } from "../errors.ts";
import type { ApiRouter } from "../http/route.ts";
import { recordDelivery } from "../webhooks/record.ts";
import { freshEvents, type AfterWrite } from "../http/afterWrite.ts";
import { reprocessJournal } from "../webhooks/reprocess.ts";

export const PostWebhookV1Response = z.union([
  z.object({ ids: z.array(z.string()).describe("ids of the events the payload produced"), accepted: z.number(), duplicates: z.number() }),
  z.object({ ignored: z.string().describe("why Drumbeat does not use this event") }),
]);
export const PostReprocessV1Body = z.strictObject({
  source: SourceName.optional(),
  since: z.iso.datetime({ offset: true }).or(z.iso.date()),
});
export const PostReprocessV1Response = z.object({
  deliveries: z.number(), events: z.number(), written: z.number(), ignored: z.number(), malformed: z.number(),
});

export interface WebhookSettings {
  collectors: CollectorsConfig;
  /** With DRUMBEAT_AUTH=off, a source without a secret accepts unsigned deliveries. */
  authEnabled: boolean;
  maxBodyBytes: number;
  afterWrite?: AfterWrite;
}

function headersOf(req: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(",") : value;
  return headers;
}

function collectorOf(req: Request): Collector {
  const collector = collectorFor(String(req.params.source));
  if (!collector) throw new HttpError(404, "unknown_source", `no webhook for '${req.params.source}'; sources: ${Object.keys(COLLECTORS).join(", ")}`);
  return collector;
}

/**
 * Webhooks authenticate with their source's secret (signature or shared token), not with
 * a bearer token. A source without a secret is refused unless auth is off, before its
 * body is read; nothing of a refused request is written. GitHub's ping is answered here, once verified.
 */
function refuseWithoutSecret(settings: WebhookSettings) {
  return (req: Request, _res: Response, next: NextFunction) => {
    try {
      const collector = collectorOf(req);
      if (settings.collectors.secrets[collector.source] === undefined && settings.authEnabled) {
        throw new HttpError(401, "no_secret", `no secret is configured for ${collector.source}: set ${secretEnvName(collector.source)}`);
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

function verifyDelivery(settings: WebhookSettings) {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      const collector = collectorOf(req);
      const secret = settings.collectors.secrets[collector.source];
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const headers = headersOf(req);
      if (secret !== undefined && !collector.verify(secret, body, headers)) {
        throw new HttpError(401, "bad_signature", `the ${collector.source} signature or token is missing or does not match`);
      }
      if (collector.isPing?.(headers)) {
        res.status(200).json({ pong: true });
        return;
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new HttpError(400, "malformed_json", `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** POST /webhooks/<source> and the journal's reprocessing (docs/integrations.md). */
export function webhookRoutes(api: ApiRouter, store: Store, settings: WebhookSettings) {
  api.define({
    method: "post",
    path: "/webhooks/:source",
    summary: "A tool's own webhook payload, verified with the source's secret, mapped onto events and journaled",
    tags: ["webhooks"],
    scope: "public",
    before: [refuseWithoutSecret(settings), express.raw({ type: () => true, limit: settings.maxBodyBytes }), verifyDelivery(settings)],
    params: z.object({ source: SourceName }),
    documentedBody: z.unknown().describe("the tool's native JSON payload"),
    response: PostWebhookV1Response,
    status: 202,
    handler: async ({ req }) => {
      const collector = collectorOf(req);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const headers = headersOf(req);
      const delivery = {
        headers: keptHeaders(collector, headers),
        payload: parseJson(body),
        deliveryId: deliveryIdOf(collector, headers, body),
        receivedAt: new Date().toISOString(),
      };
      const result = collector.map(delivery, settings.collectors);
      if (result.kind === "malformed") throw new ValidationError("malformed_payload", result.issues);
      const { written } = await recordDelivery(store, collector, delivery, body.toString("utf8"), result);
      if (written && result.kind === "events") settings.afterWrite?.(freshEvents(result.events, written.ids));
      if (result.kind === "ignored") return { ignored: result.reason };
      return { ids: result.events.map((event) => event.id), accepted: written?.accepted ?? 0, duplicates: written?.duplicates ?? 0 };
    },
  });

  api.define({
    method: "post",
    path: "/api/v1/admin/reprocess",
    summary: "Map journaled webhook deliveries again with the current mappings; idempotent",
    tags: ["webhooks"],
    scope: "admin",
    before: [express.json({ limit: "16kb" })],
    body: PostReprocessV1Body,
    response: PostReprocessV1Response,
    handler: ({ body }) => reprocessJournal(store, settings.collectors, body),
  });
}
