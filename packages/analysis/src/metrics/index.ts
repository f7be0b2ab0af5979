export * from "./schemas.ts";
export { bucketQuantile, explicitBuckets, exponentialBuckets, type HistogramBucket } from "./buckets.ts";
export { CumulativeTracker } from "./streams.ts";
export { mapOtlpMetrics, type OtlpMapping } from "./otlp.ts";
export { metricCatalog, metricSeries, MetricCatalogEntry, SeriesPoint, type SeriesRequest } from "./sql/reads.ts";
export { mapPointInputs } from "./points.ts";
export { CollectorImporter } from "./collector.ts";
