import { createHash } from "node:crypto";
import express from "express";
import { z } from "zod";
import {
  CumulativeTracker, Direction, MetricCatalogEntry, MetricPointInput, SeriesPoint, mapOtlpMetrics, mapPointInputs,
  metricCatalog, metricSeries, ruleFor, type ImpactRefresher, type MetricBatch, type MetricRule,
} from "@drumbeat/analysis";
import { writeMetrics, type Store } from "@drumbeat/store";
import { ValidationError } from "../errors.ts";
import { decodeEventBody } from "../http/eventBody.ts";
import type { ApiRouter } from "../http/route.ts";
import { decodeMetricsRequest, encodeMetricsResponse, encodingOf } from "../otlp/decode.ts";

export const PostOtlpMetricsResponse = z.object({
  partialSuccess: z.object({ rejectedDataPoints: z.number(), errorMessage: z.string() }).optional(),
});
export const PostMetricPointsV1Response = z.object({ accepted: z.number(), duplicate: z.boolean() });
export const GetMetricsV1Query = z.strictObject({ service: z.string().min(1).max(200), environment: z.string().min(1).max(200) });
export const GetMetricsV1Response = z.object({
  metrics: z.array(MetricCatalogEntry.extend({
    group: z.string().describe("errors, latency, throughput or other, by the metric rules (docs/metrics.md)"),
    direction: Direction,
  })),
});
export const GetMetricSeriesV1Query = GetMetricsV1Query.extend({
  metric: z.string().min(1).max(300),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  step: z.coerce.number().int().min(60).max(86_400).multipleOf(60).default(60).describe("seconds, a multiple of 60"),
  version: z.string().max(200).optional(),
}).refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ["to"], message: "must be after from" })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / (q.step * 1000) <= 10_000, { path: ["step"], message: "at most 10000 steps per series: widen the step" });
export const GetMetricSeriesV1Response = z.object({ metric: z.string(), step: z.number(), points: z.array(SeriesPoint) });

/** Writes one batch, then tells the refresher which services and minutes changed. */
async function write(store: Store, refresher: ImpactRefresher, batchHash: string, batch: MetricBatch): Promise<boolean> {
  const written = await writeMetrics(store, { batchHash, raw: batch.raw, points: batch.points });
  if (written) refresher.notePoints(batch.points);
  return written;
}

const bodyOf = (body: unknown) => (Buffer.isBuffer(body) ? body : Buffer.alloc(0));
const hashOf = (kind: string, body: Buffer) => createHash("sha256").update(kind).update("\u0000").update(body).digest("hex");

/**
 * Metrics in: OTLP/HTTP at the standard path (any SDK or Collector, endpoint changed
 * only), and plain JSON points. Metrics out: names per service and series for charts.
 */
export function metricRoutes(api: ApiRouter, store: Store, refresher: ImpactRefresher, maxBodyBytes: number, rules: readonly MetricRule[]) {
  const tracker = new CumulativeTracker();
  // express.raw inflates gzip and deflate bodies (Content-Encoding) before the limit applies
  const raw = express.raw({ type: () => true, limit: maxBodyBytes });
  api.define({
    method: "post",
    path: "/v1/metrics",
    summary: "OTLP/HTTP metrics export (application/x-protobuf or application/json, optionally gzip)",
    tags: ["metrics"],
    scope: "ingest",
    before: [raw],
    documentedBody: z.object({ resourceMetrics: z.array(z.unknown()) }).describe("an OTLP ExportMetricsServiceRequest"),
    response: PostOtlpMetricsResponse,
    handler: async ({ req, res }) => {
      const encoding = encodingOf(req.get("content-type"));
      const body = bodyOf(req.body);
      const request = decodeMetricsRequest(encoding, body);
      const mapped = mapOtlpMetrics(request, tracker);
      await write(store, refresher, hashOf(`otlp-${encoding}`, body), mapped);
      const partial = mapped.rejected > 0 ? { rejectedDataPoints: mapped.rejected, errorMessage: mapped.reasons.join("; ") } : undefined;
      const answer = encodeMetricsResponse(encoding, partial);
      if (Buffer.isBuffer(answer)) res.status(200).type("application/x-protobuf").send(answer);
      return partial ? { partialSuccess: partial } : {};
    },
  });

  api.define({
    method: "post",
    path: "/api/v1/metrics/points",
    summary: "Metric points without OpenTelemetry: one JSON point, a JSON array, or NDJSON",
    tags: ["metrics"],
    scope: "ingest",
    before: [raw],
    documentedBody: z.union([MetricPointInput, z.array(MetricPointInput)]),
    response: PostMetricPointsV1Response,
    status: 202,
    handler: async ({ req }) => {
      const body = bodyOf(req.body);
      const items = decodeEventBody(req.get("content-type"), body);
      const points: MetricPointInput[] = [];
      const issues: { index: number; path: string; message: string }[] = [];
      items.forEach((item, index) => {
        const result = MetricPointInput.safeParse(item);
        if (result.success) points.push(result.data);
        else for (const issue of result.error.issues) issues.push({ index, path: issue.path.map(String).join("."), message: issue.message });
      });
      if (issues.length > 0) throw new ValidationError("invalid_points", issues);
      const written = await write(store, refresher, hashOf("points", body), mapPointInputs(points));
      return { accepted: written ? points.length : 0, duplicate: !written };
    },
  });

  api.define({
    method: "get",
    path: "/api/v1/metrics",
    summary: "The metrics of a service in an environment: names, kinds and units",
    tags: ["metrics"],
    scope: "read",
    query: GetMetricsV1Query,
    response: GetMetricsV1Response,
    handler: async ({ query }) => ({
      metrics: (await metricCatalog(store, query)).map((entry) => {
        const { group, direction } = ruleFor(entry.metric, rules);
        return { ...entry, group, direction };
      }),
    }),
  });

  api.define({
    method: "get",
    path: "/api/v1/metrics/series",
    summary: "One metric of a service over time, from the per-minute rollups",
    tags: ["metrics"],
    scope: "read",
    query: GetMetricSeriesV1Query,
    response: GetMetricSeriesV1Response,
    handler: async ({ query }) => ({ metric: query.metric, step: query.step, points: await metricSeries(store, query) }),
  });
}
