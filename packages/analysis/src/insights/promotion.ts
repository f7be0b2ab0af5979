import { z } from "zod";
import type { Store } from "@drumbeat/store";
import type { DoraSettings } from "../dora/definitions.ts";
import { orNull, readInsight } from "./read.ts";
import { PromotionQuery, type Promotion } from "./schemas.ts";
import { PROMOTION_BY_SERVICE, PROMOTION_FLAGGED, PROMOTION_PATHS, PROMOTION_STAGES } from "./sql/promotion.ts";

/** The store answers date-times in ISO 8601 (date_time_output_format); one spelling of it, with milliseconds. */
const iso = (storeTime: string) => new Date(storeTime).toISOString();
const Median = z.number().nullable();

const ServiceRow = z.object({
  service: z.string(), deployments: z.number().int(), promoted_unchanged: z.number().int(), straight: z.number().int(),
  rebuilt_count: z.number().int(), to_production_median: Median,
});
const PathRow = z.object({ path: z.array(z.string()), deployments: z.number().int(), to_production_median: Median });
const StageRow = z.object({ environment: z.string(), deployments: z.number().int(), before_promotion_median: Median });
const FlaggedRow = z.object({
  deployment_id: z.string(), service: z.string(), team: z.string(), at: z.string(), version: z.string(), artifact: z.string(),
  path: z.array(z.tuple([z.string(), z.string()])), rebuilt: z.boolean(), failed: z.boolean(),
});

/** Build once, promote: per service, path and stage, and the production deployments that skipped or broke it. */
export async function promotionInsights(store: Store, query: PromotionQuery, settings: DoraSettings, now = new Date()): Promise<Promotion> {
  const { limit, ...scope } = PromotionQuery.parse(query);
  return readInsight(store, scope, settings, now, async (params) => {
    const services = await store.query({ name: "insights.promotion.services", sql: PROMOTION_BY_SERVICE, params, rows: ServiceRow });
    const paths = await store.query({ name: "insights.promotion.paths", sql: PROMOTION_PATHS, params, rows: PathRow });
    const stages = await store.query({ name: "insights.promotion.stages", sql: PROMOTION_STAGES, params, rows: StageRow });
    const flagged = await store.query({ name: "insights.promotion.flagged", sql: PROMOTION_FLAGGED, params: { ...params, limit }, rows: FlaggedRow });
    return {
      services: services.map((s) => ({
        service: s.service, deployments: s.deployments, promotedUnchanged: s.promoted_unchanged,
        promotedShare: s.deployments > 0 ? s.promoted_unchanged / s.deployments : null,
        straightToProduction: s.straight, rebuilt: s.rebuilt_count, medianSecondsToProduction: orNull(s.to_production_median),
      })),
      paths: paths.map((p) => ({ path: [...p.path, params.environment], deployments: p.deployments, medianSecondsToProduction: orNull(p.to_production_median) })),
      stages: stages.map((s) => ({ environment: s.environment, deployments: s.deployments, medianSecondsBeforePromotion: orNull(s.before_promotion_median) })),
      flagged: flagged.map((f) => ({
        deploymentId: f.deployment_id, service: f.service, team: f.team, at: iso(f.at), version: f.version, artifact: f.artifact,
        path: f.path.map(([environment, at]) => ({ environment, at: iso(at) })),
        straightToProduction: f.path.length === 0, rebuilt: f.rebuilt, failed: f.failed,
      })),
    };
  });
}
