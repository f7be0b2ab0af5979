import {
  BatchInsights, BatchInsightsQuery, Promotion, PromotionQuery, ReleaseWindow, ReleaseWindowQuery, Strategies, StrategiesQuery,
  batchInsights, promotionInsights, releaseWindow, strategiesInsights, type DoraSettings,
} from "@drumbeat/analysis";
import type { Store } from "@drumbeat/store";
import type { ApiRouter } from "../http/route.ts";
import { rangeChecked } from "./dora.ts";

/**
 * Release insights (docs/insights.md): each reads the DORA facts of the production
 * environment (or `environment`) over the range, 90 days before `to` by default.
 */
export function insightsRoutes(api: ApiRouter, store: Store, settings: DoraSettings) {
  api.define({
    method: "get",
    path: "/api/v1/insights/batch-size",
    summary: "Change failure rate (Wilson 95% interval) and recovery by batch size (1, 2-3, 4-10, 11-40, >40 commits), per service or team, the weekly median batch, and a verdict in words",
    tags: ["insights"],
    scope: "read",
    query: BatchInsightsQuery.strict(),
    response: BatchInsights,
    handler: ({ query }) => rangeChecked(() => batchInsights(store, query, settings)),
  });

  api.define({
    method: "get",
    path: "/api/v1/insights/release-window",
    summary: "Deployments and change failure rate (Wilson 95% interval) by day of week and hour in an IANA time zone: a heatmap, every cell included",
    tags: ["insights"],
    scope: "read",
    query: ReleaseWindowQuery.strict(),
    response: ReleaseWindow,
    handler: ({ query }) => rangeChecked(() => releaseWindow(store, query, settings)),
  });

  api.define({
    method: "get",
    path: "/api/v1/insights/promotion",
    summary: "Build once, promote: per service the share of production deployments promoted unchanged and the time to production; paths, stages, and deployments that skipped earlier environments or were rebuilt",
    tags: ["insights"],
    scope: "read",
    query: PromotionQuery.strict(),
    response: Promotion,
    handler: ({ query }) => rangeChecked(() => promotionInsights(store, query, settings)),
  });

  api.define({
    method: "get",
    path: "/api/v1/insights/strategies",
    summary: "Change failure rate, recovery and rollback share by strategy and for flag-released changes; canary steps, bake times, where aborted canaries stopped and the traffic failed canaries reached",
    tags: ["insights"],
    scope: "read",
    query: StrategiesQuery.strict(),
    response: Strategies,
    handler: ({ query }) => rangeChecked(() => strategiesInsights(store, query, settings)),
  });
}
