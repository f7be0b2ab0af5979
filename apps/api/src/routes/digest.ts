import express from "express";
import { z } from "zod";
import { Digest, IsoWeek } from "@drumbeat/analysis";
import type { ApiRouter } from "../http/route.ts";
import type { DigestService } from "../digest/service.ts";

const Audience = z.object({ week: IsoWeek, team: z.string().min(1).max(200).optional() });

export const GetDigestV1Response = z.object({ subject: z.string(), html: z.string(), text: z.string(), recipients: z.array(z.string()), digest: Digest });
export const PostDigestSendV1Response = z.object({
  status: z.enum(["sent", "already_sent", "in_progress"]),
  week: z.string(),
  team: z.string().nullable(),
  recipients: z.array(z.string()).optional(),
  messageId: z.string().optional(),
});

/** The weekly digest (docs/digest.md): a preview of one week, and sending it once. */
export function digestRoutes(api: ApiRouter, digests: DigestService) {
  api.define({
    method: "get",
    path: "/api/v1/digest",
    summary: "One ISO week's digest, for everyone or one team: the mail's subject, HTML and text parts, and its data",
    tags: ["digest"],
    scope: "read",
    query: Audience.strict(),
    response: GetDigestV1Response,
    handler: async ({ query }) => {
      const { digest, subject, html, text } = await digests.render(query.week, query.team);
      return { subject, html, text, recipients: digests.recipients(query.team), digest };
    },
  });

  api.define({
    method: "post",
    path: "/api/v1/digest/send",
    summary: "Mails one week's digest to its recipients unless it was already sent (by any server)",
    tags: ["digest"],
    scope: "admin",
    before: [express.json({ limit: "16kb" })],
    body: Audience.strict(),
    response: PostDigestSendV1Response,
    handler: ({ body }) => digests.send(body.week, body.team),
  });
}
