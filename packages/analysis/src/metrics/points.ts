import { createHash } from "node:crypto";
import { nanoText } from "./otlp.ts";
import type { MetricBatch, MetricPointInput } from "./schemas.ts";

const toMs = (iso: string) => new Date(iso).toISOString().replace("T", " ").replace("Z", "");
const toNanoText = (iso: string) => nanoText(BigInt(Date.parse(iso)) * 1_000_000n);

/**
 * Points sent without OpenTelemetry are gauges: stored raw as `otel_metrics_gauge` rows
 * with the resource attributes an SDK would have sent, and read as they are.
 */
export function mapPointInputs(inputs: readonly MetricPointInput[]): MetricBatch {
  const batch: MetricBatch = {
    raw: { otel_metrics_gauge: [], otel_metrics_sum: [], otel_metrics_histogram: [], otel_metrics_exponential_histogram: [] },
    points: [],
  };
  for (const input of inputs) {
    const version = input.version ?? "";
    const resource: Record<string, string> = { "service.name": input.service, "deployment.environment.name": input.environment };
    if (version) resource["service.version"] = version;
    batch.raw.otel_metrics_gauge.push({
      ResourceAttributes: resource, ServiceName: input.service, MetricName: input.metric, MetricUnit: input.unit ?? "",
      Attributes: {}, StartTimeUnix: toNanoText(input.at), TimeUnix: toNanoText(input.at), Value: input.value, ScopeName: "drumbeat.points",
    });
    const stream = createHash("sha1").update(`${input.metric}\u0000${input.service}\u0000${input.environment}\u0000${version}`).digest().readBigUInt64BE(0).toString();
    batch.points.push({
      environment: input.environment, service: input.service, version, metric: input.metric, kind: "gauge", unit: input.unit ?? "",
      stream, at: toMs(input.at), value: input.value,
    });
  }
  return batch;
}
