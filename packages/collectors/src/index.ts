export { SOURCES, SourceName, CollectorsConfig, Target, loadCollectorsConfig, secretEnvName, type CollectorsConfigInput } from "./config.ts";
export { type Collector, type Delivery, deliveryIdOf, eventIdOf, keptHeaders } from "./collector.ts";
export { type MappingResult, type PayloadIssue } from "./result.ts";
export { COLLECTORS, collectorFor } from "./registry.ts";
export { hmacSha256Hex, safeEqual } from "./signature.ts";
