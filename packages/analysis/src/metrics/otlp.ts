import { createHash } from "node:crypto";
import { bucketQuantile, explicitBuckets, exponentialBuckets, type HistogramBucket } from "./buckets.ts";
import type { MetricBatch, MetricKind, MetricPointRow } from "./schemas.ts";
import type { CumulativeTracker } from "./streams.ts";

/** OTLP AggregationTemporality. */
const CUMULATIVE = 2;
const QUANTILES = [["p50", 0.5], ["p95", 0.95], ["p99", 0.99]] as const;

type Obj = Record<string, any>;

export interface OtlpMapping extends MetricBatch {
  /** Points not stored, and why (OTLP partial success). */
  rejected: number;
  reasons: string[];
}

function anyValue(value: Obj | undefined): string {
  if (!value) return "";
  if ("stringValue" in value) return String(value.stringValue);
  if ("intValue" in value) return String(value.intValue);
  if ("doubleValue" in value) return String(value.doubleValue);
  if ("boolValue" in value) return String(value.boolValue);
  if ("bytesValue" in value) return Buffer.from(String(value.bytesValue), "base64").toString("hex");
  if ("arrayValue" in value) return JSON.stringify((value.arrayValue.values ?? []).map(anyValue));
  if ("kvlistValue" in value) return JSON.stringify(attributesOf(value.kvlistValue.values));
  return "";
}

function attributesOf(list: Obj[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

/** Nanoseconds since the epoch as DateTime64(9) text, `YYYY-MM-DD hh:mm:ss.nnnnnnnnn` in UTC. */
export function nanoText(ns: bigint): string {
  const seconds = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString().slice(0, 19).replace("T", " ");
  return `${seconds}.${String(ns % 1_000_000_000n).padStart(9, "0")}`;
}

function msText(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().replace("T", " ").replace("Z", "");
}

function streamId(parts: string): string {
  return createHash("sha1").update(parts).digest().readBigUInt64BE(0).toString();
}

function hexId(base64: string | undefined): string {
  return base64 ? Buffer.from(base64, "base64").toString("hex") : "";
}

function exemplarColumns(exemplars: Obj[] | undefined) {
  const list = exemplars ?? [];
  return {
    "Exemplars.FilteredAttributes": list.map((e) => attributesOf(e.filteredAttributes)),
    "Exemplars.TimeUnix": list.map((e) => nanoText(BigInt(e.timeUnixNano ?? 0))),
    "Exemplars.Value": list.map((e) => Number(e.asDouble ?? e.asInt ?? 0)),
    "Exemplars.SpanId": list.map((e) => hexId(e.spanId)),
    "Exemplars.TraceId": list.map((e) => hexId(e.traceId)),
  };
}

const numeric = (point: Obj) => Number(point.asDouble ?? point.asInt ?? 0);

/**
 * Maps one decoded ExportMetricsServiceRequest onto the Collector-layout raw rows and
 * Drumbeat's derived points. Resource attributes `service.name`, `service.version` and
 * `deployment.environment.name` (or the older `deployment.environment`) say whose points
 * they are; a resource without an environment is rejected, since no deployment could be
 * matched with it. Summaries are rejected (OTLP's legacy type; nothing reads them).
 */
export function mapOtlpMetrics(request: Obj, tracker: CumulativeTracker): OtlpMapping {
  const out: OtlpMapping = {
    raw: { otel_metrics_gauge: [], otel_metrics_sum: [], otel_metrics_histogram: [], otel_metrics_exponential_histogram: [] },
    points: [],
    rejected: 0,
    reasons: [],
  };
  const reject = (count: number, reason: string) => {
    out.rejected += count;
    if (!out.reasons.includes(reason)) out.reasons.push(reason);
  };

  for (const resourceMetrics of request.resourceMetrics ?? []) {
    const resource = attributesOf(resourceMetrics.resource?.attributes);
    const service = resource["service.name"] ?? "";
    const environment = resource["deployment.environment.name"] ?? resource["deployment.environment"] ?? "";
    const version = resource["service.version"] ?? "";
    const resourceKey = JSON.stringify(Object.entries(resource).filter(([key]) => key !== "service.version").sort());
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      const shared = {
        ResourceAttributes: resource,
        ResourceSchemaUrl: resourceMetrics.schemaUrl ?? "",
        ScopeName: scopeMetrics.scope?.name ?? "",
        ScopeVersion: scopeMetrics.scope?.version ?? "",
        ScopeAttributes: attributesOf(scopeMetrics.scope?.attributes),
        ScopeDroppedAttrCount: scopeMetrics.scope?.droppedAttributesCount ?? 0,
        ScopeSchemaUrl: scopeMetrics.schemaUrl ?? "",
        ServiceName: service,
      };
      for (const metric of scopeMetrics.metrics ?? []) {
        const data = metric.gauge ?? metric.sum ?? metric.histogram ?? metric.exponentialHistogram ?? metric.summary;
        const dataPoints: Obj[] = data?.dataPoints ?? [];
        if (!service || !environment) {
          reject(dataPoints.length, "the resource needs service.name and deployment.environment.name");
          continue;
        }
        if (metric.summary) {
          reject(dataPoints.length, "summary points are not stored; send histograms");
          continue;
        }
        const name: string = metric.name ?? "";
        const unit: string = metric.unit ?? "";
        const base = { ...shared, MetricName: name, MetricDescription: metric.description ?? "", MetricUnit: unit };
        const derived = (suffix: string, kind: MetricKind, derivedUnit: string, stream: string, timeNs: bigint, value: number) => {
          if (!Number.isFinite(value)) return;
          out.points.push({
            environment, service, version, metric: name + suffix, kind, unit: derivedUnit, stream, at: msText(timeNs), value,
          } satisfies MetricPointRow);
        };
        for (const point of dataPoints) {
          const timeNs = BigInt(point.timeUnixNano ?? 0);
          const startNs = BigInt(point.startTimeUnixNano ?? 0);
          if (timeNs <= 0n) {
            reject(1, "a data point has no timeUnixNano");
            continue;
          }
          const attributes = attributesOf(point.attributes);
          const stream = streamId(`${name}\u0000${resourceKey}\u0000${JSON.stringify(Object.entries(attributes).sort())}\u0000${version}`);
          const row = { ...base, Attributes: attributes, StartTimeUnix: nanoText(startNs), TimeUnix: nanoText(timeNs), Flags: point.flags ?? 0, ...exemplarColumns(point.exemplars) };
          if (metric.gauge) {
            out.raw.otel_metrics_gauge.push({ ...row, Value: numeric(point) });
            derived("", "gauge", unit, stream, timeNs, numeric(point));
          } else if (metric.sum) {
            const temporality = metric.sum.aggregationTemporality ?? 0;
            const monotonic = Boolean(metric.sum.isMonotonic);
            out.raw.otel_metrics_sum.push({ ...row, Value: numeric(point), AggregationTemporality: temporality, IsMonotonic: monotonic });
            if (temporality === CUMULATIVE && !monotonic) {
              derived("", "gauge", unit, stream, timeNs, numeric(point)); // an up-down counter is a level
              continue;
            }
            const change = temporality === CUMULATIVE
              ? tracker.delta(stream, { startNs, timeNs, values: [numeric(point)] })
              : startNs > 0n && timeNs > startNs ? { seconds: Number(timeNs - startNs) / 1e9, values: [numeric(point)] } : undefined;
            if (change) derived("", "rate", `${unit || "1"}/s`, stream, timeNs, change.values[0]! / change.seconds);
          } else {
            const histogram = Boolean(metric.histogram);
            const count = Number(point.count ?? 0);
            const sum = Number(point.sum ?? 0);
            const temporality = data.aggregationTemporality ?? 0;
            const counts: number[] = histogram
              ? (point.bucketCounts ?? []).map(Number)
              : [...(point.negative?.bucketCounts ?? []), ...(point.positive?.bucketCounts ?? [])].map(Number);
            const extremes = { Min: point.min ?? 0, Max: point.max ?? 0, AggregationTemporality: temporality };
            if (histogram) {
              out.raw.otel_metrics_histogram.push({ ...row, Count: count, Sum: sum, BucketCounts: counts, ExplicitBounds: point.explicitBounds ?? [], ...extremes });
            } else {
              out.raw.otel_metrics_exponential_histogram.push({
                ...row, Count: count, Sum: sum, Scale: point.scale ?? 0, ZeroCount: Number(point.zeroCount ?? 0),
                PositiveOffset: point.positive?.offset ?? 0, PositiveBucketCounts: (point.positive?.bucketCounts ?? []).map(Number),
                NegativeOffset: point.negative?.offset ?? 0, NegativeBucketCounts: (point.negative?.bucketCounts ?? []).map(Number), ...extremes,
              });
            }
            const values = [count, sum, Number(point.zeroCount ?? 0), ...counts];
            const change = temporality === CUMULATIVE
              ? tracker.delta(stream, { startNs, timeNs, values })
              : startNs > 0n && timeNs > startNs ? { seconds: Number(timeNs - startNs) / 1e9, values } : undefined;
            if (!change) continue;
            const [dCount, dSum, dZero, ...dCounts] = change.values as [number, number, number, ...number[]];
            derived(".count", "rate", "1/s", stream, timeNs, dCount / change.seconds);
            derived(".sum", "rate", `${unit || "1"}/s`, stream, timeNs, dSum / change.seconds);
            // min and max describe the whole series for cumulative points, so they only bound delta buckets
            const bounded = temporality !== CUMULATIVE;
            const buckets: HistogramBucket[] = histogram
              ? explicitBuckets(point.explicitBounds ?? [], dCounts, bounded ? point.min : undefined, bounded ? point.max : undefined)
              : exponentialBuckets(point.scale ?? 0, dZero, {
                offset: point.positive?.offset ?? 0, counts: dCounts.slice((point.negative?.bucketCounts ?? []).length),
              }, { offset: point.negative?.offset ?? 0, counts: dCounts.slice(0, (point.negative?.bucketCounts ?? []).length) });
            for (const [suffix, q] of QUANTILES) {
              const estimate = bucketQuantile(buckets, q);
              if (estimate !== undefined) derived(`.${suffix}`, "quantile", unit, stream, timeNs, estimate);
            }
          }
        }
      }
    }
  }
  return out;
}
