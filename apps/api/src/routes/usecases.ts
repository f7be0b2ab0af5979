import express from "express";
import { z } from "zod";
import {
  UsecaseHistory, UsecaseHistoryQuery, UsecaseMatrix, UsecaseMatrixQuery, UsecaseScope, UsecaseState, listUsecases, usecaseHistory, usecaseMatrix,
  type UsecaseSettings,
} from "@drumbeat/analysis";
import { parseEventBatch } from "@drumbeat/events";
import { getDeployment, writeEvents, type Store } from "@drumbeat/store";
import { HttpError, ValidationError } from "../errors.ts";
import type { ApiRouter } from "../http/route.ts";
import { junitToEvents } from "../usecases/junit.ts";
import { PostEventsV1Response } from "./events.ts";

const Name = z.string().trim().min(1).max(200);
export const PostUsecasesJunitV1Query = z
  .strictObject({
    deploymentId: Name.optional(),
    service: Name.optional(),
    environment: Name.optional(),
    version: Name.optional(),
    team: Name.optional(),
    source: Name.optional(),
  })
  .refine((q) => q.deploymentId !== undefined || (q.service && q.environment && q.version), {
    path: ["deploymentId"],
    message: "name the deployment: deploymentId, or service, environment and version",
  });
export const PostUsecasesJunitV1Response = PostEventsV1Response.extend({ testcases: z.number().int() });
export const GetUsecasesV1Response = z.object({ usecases: z.array(UsecaseState) });

const XML_TYPES = new Set(["application/xml", "text/xml", "application/junit+xml"]);

/** Use-case results: where each use case stands, the matrix, one use case's history, and JUnit import (docs/usecases.md). */
export function usecaseRoutes(api: ApiRouter, store: Store, settings: UsecaseSettings, maxBodyBytes: number) {
  api.define({
    method: "get",
    path: "/api/v1/usecases",
    summary: "Each use case of a service and environment: status, last run, pass rate, flaky, broken since, breaking deployment and suspect commits",
    tags: ["usecases"],
    scope: "read",
    query: UsecaseScope.strict(),
    response: GetUsecasesV1Response,
    handler: async ({ query }) => ({ usecases: await listUsecases(store, query, settings) }),
  });

  api.define({
    method: "get",
    path: "/api/v1/usecases/matrix",
    summary: "Use cases x the latest deployments (oldest first), the outcome of each cell",
    tags: ["usecases"],
    scope: "read",
    query: UsecaseMatrixQuery.strict(),
    response: UsecaseMatrix,
    handler: ({ query: { limit, ...scope } }) => usecaseMatrix(store, scope, limit),
  });

  api.define({
    method: "get",
    path: "/api/v1/usecases/:usecase/history",
    summary: "One use case: its latest runs in deployment order, every break with its suspects and fix",
    tags: ["usecases"],
    scope: "read",
    params: z.object({ usecase: Name }),
    query: UsecaseHistoryQuery.strict(),
    response: UsecaseHistory,
    handler: ({ params, query: { limit, ...scope } }) => usecaseHistory(store, scope, params.usecase, limit, settings),
  });

  api.router.post("/api/v1/usecases/junit", express.raw({ type: () => true, limit: maxBodyBytes }));
  api.define({
    method: "post",
    path: "/api/v1/usecases/junit",
    summary: "Import a JUnit XML report: each test case is a use-case result of the deployment named in the query",
    tags: ["ingest", "usecases"],
    scope: "ingest",
    query: PostUsecasesJunitV1Query,
    documentedBody: z.string().describe("a JUnit XML report (<testsuites> or <testsuite>)"),
    documentedBodyType: "application/xml",
    response: PostUsecasesJunitV1Response,
    status: 202,
    handler: async ({ query, req }) => {
      const mediaType = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (!XML_TYPES.has(mediaType)) throw new HttpError(415, "unsupported_media_type", `send application/xml or text/xml, not '${mediaType || "(none)"}'`);
      const target = await resolveTarget(store, query);
      const body = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
      const events = junitToEvents(body, target, new Date());
      const batch = parseEventBatch(events);
      if (!batch.ok) throw new ValidationError("invalid_testcases", batch.issues);
      return { ...(await writeEvents(store, batch.events)), testcases: events.length };
    },
  });
}

/** A deployment named by id alone must be known, to learn its service and environment. */
async function resolveTarget(store: Store, query: z.output<typeof PostUsecasesJunitV1Query>) {
  const { service, environment, deploymentId } = query;
  if (service && environment) return { ...query, service, environment };
  const deployment = await getDeployment(store, deploymentId!);
  if (!deployment) {
    throw new HttpError(404, "unknown_deployment",
      `no deployment '${deploymentId}' yet: add service and environment to the query and the results are kept until it arrives`);
  }
  return { ...query, service: deployment.service, environment: deployment.environment };
}
