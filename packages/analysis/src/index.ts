export {
  DEFAULT_DORA_SETTINGS, DEFAULT_RANGE_DAYS, FAILURE_REASONS, MIN_SAMPLES, RECOVERY_KINDS, InvalidRangeError,
  Bucket, GroupBy, DoraScope, definitionOf, type DoraSettings, type FailureReason, type RecoveryKind,
} from "./dora/definitions.ts";
export { THRESHOLDS, levels, type Level } from "./dora/thresholds.ts";
export * from "./dora/schemas.ts";
export {
  DoraQuery, DoraTimeseriesQuery, DoraListQuery, doraSummary, doraGroups, doraTimeseries, doraFailures, doraLeadTimes,
} from "./dora/report.ts";
export { bucketsOf, bucketStart } from "./dora/buckets.ts";
export { FactsChangingError, buildProgress, factsState, readFacts, refreshFacts, type BuildProgress, type Freshness } from "./dora/facts.ts";
