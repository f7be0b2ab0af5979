export * from "./schemas.ts";
export { wilson, trendTest, type Interval, type TrendTest } from "./statistics.ts";
export { batchInsights, batchVerdict, MIN_BUCKET_DEPLOYMENTS } from "./batch.ts";
export { releaseWindow } from "./window.ts";
export { promotionInsights } from "./promotion.ts";
export { strategiesInsights } from "./strategies.ts";
export { DEFAULT_INSIGHT_DAYS } from "./read.ts";
