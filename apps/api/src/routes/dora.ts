import { z } from "zod";
import {
  DoraFreshness, DoraGroups, DoraLeadTimes, DoraLeadTimesQuery, DoraListQuery, DoraQuery, DoraSummary, DoraTimeseries, DoraTimeseriesQuery, FailedDeployment,
  FactsChangingError, InvalidRangeError, buildProgress, doraFailures, doraGroups, doraLeadTimes, doraSummary, doraTimeseries, type DoraSettings,
} from "@drumbeat/analysis";
import type { Store } from "@drumbeat/store";
import { HttpError } from "../errors.ts";
import type { ApiRouter } from "../http/route.ts";

const RangeBody = DoraSummary.shape.range;
export const GetDoraV1Response = z.union([DoraSummary, DoraGroups]);
export const GetDoraFailuresV1Response = DoraFreshness.extend({ range: RangeBody, failures: z.array(FailedDeployment) });
export const GetDoraLeadTimesV1Response = DoraLeadTimes.extend(DoraFreshness.shape);

export const GetDoraStatusV1Response = z.object({
  builds: z.array(z.object({
    environment: z.string(), definition: z.string(), state: z.enum(["idle", "building"]), services: z.number().int(), built: z.number().int(),
    startedAt: z.string().nullable(), finishedAt: z.string().nullable(), error: z.string().nullable(),
  })),
});

/** A range the caller got backwards is their error, not ours; facts rebuilt under every read are worth a retry. */
export async function rangeChecked<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InvalidRangeError) throw new HttpError(400, "invalid_range", error.message);
    if (error instanceof FactsChangingError) throw new HttpError(503, "facts_rebuilding", error.message);
    throw error;
  }
}

/**
 * DORA figures (docs/dora.md). `environment` names the environment measured and
 * overrides the production environment of the configuration; a filter that matches
 * nothing is an empty result, not a 404.
 */
export function doraRoutes(api: ApiRouter, store: Store, settings: DoraSettings) {
  api.define({
    method: "get",
    path: "/api/v1/dora",
    summary: "The four keys and rework rate over a range, with levels and the previous range; or one row per service or team",
    tags: ["dora"],
    scope: "read",
    query: DoraQuery.strict(),
    response: GetDoraV1Response,
    handler: ({ query: { groupBy, ...scope } }) =>
      rangeChecked<z.infer<typeof GetDoraV1Response>>(() =>
        groupBy ? doraGroups(store, scope, groupBy, settings) : doraSummary(store, scope, settings)),
  });

  api.define({
    method: "get",
    path: "/api/v1/dora/timeseries",
    summary: "The DORA figures per day, week (from Monday, UTC) or month; empty buckets included",
    tags: ["dora"],
    scope: "read",
    query: DoraTimeseriesQuery.strict(),
    response: DoraTimeseries,
    handler: ({ query: { bucket, ...scope } }) => rangeChecked(() => doraTimeseries(store, scope, bucket, settings)),
  });

  api.define({
    method: "get",
    path: "/api/v1/dora/failures",
    summary: "Failed deployments in the range with their reasons, the evidence behind each, recovery and time to recover",
    tags: ["dora"],
    scope: "read",
    query: DoraListQuery.strict(),
    response: GetDoraFailuresV1Response,
    handler: ({ query }) => rangeChecked(() => doraFailures(store, query, settings)),
  });

  api.define({
    method: "get",
    path: "/api/v1/dora/lead-times",
    summary: "Commits first deployed in the range with their lead time, slowest first; the lead time split into pull-request stages (coding, pickup, review, deploy), per service or team (groupBy) and per bucket (bucket)",
    tags: ["dora"],
    scope: "read",
    query: DoraLeadTimesQuery.strict(),
    response: GetDoraLeadTimesV1Response,
    handler: ({ query }) => rangeChecked(() => doraLeadTimes(store, query, settings)),
  });

  api.define({
    method: "get",
    path: "/api/v1/dora/status",
    summary: "The background builds of the DORA facts in this process: services to build, built so far, the last error",
    tags: ["dora"],
    scope: "read",
    response: GetDoraStatusV1Response,
    handler: async () => ({ builds: buildProgress(store) }),
  });
}
