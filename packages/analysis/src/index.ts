export {
  DEFAULT_DORA_SETTINGS, DEFAULT_RANGE_DAYS, FAILURE_REASONS, MIN_SAMPLES, RECOVERY_KINDS, InvalidRangeError,
  Bucket, GroupBy, DoraScope, definitionOf, type DoraSettings, type FailureReason, type RecoveryKind,
} from "./dora/definitions.ts";
export { THRESHOLDS, levels, type Level } from "./dora/thresholds.ts";
export * from "./dora/schemas.ts";
export {
  DoraQuery, DoraTimeseriesQuery, DoraListQuery, DoraLeadTimesQuery, doraSummary, doraGroups, doraTimeseries, doraFailures, doraLeadTimes,
} from "./dora/report.ts";
export { bucketsOf, bucketStart } from "./dora/buckets.ts";
export { FactsChangingError, buildProgress, factsState, readFacts, refreshFacts, type BuildProgress, type Freshness } from "./dora/facts.ts";
export * from "./metrics/index.ts";
export * from "./correlation/index.ts";
export { IsoWeek, isoWeekOf, previousWeek, weekRange } from "./digest/week.ts";
export { Digest, BrokenUsecase } from "./digest/schemas.ts";
export { collectDigest } from "./digest/collect.ts";
export * from "./usecases/schemas.ts";
export { DEFAULT_USECASE_SETTINGS, walkRuns, type UsecaseSettings, type Run } from "./usecases/attribution.ts";
export { listUsecases, usecaseHistory, usecaseMatrix, deploymentUsecases } from "./usecases/report.ts";
export * from "./insights/index.ts";
