import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { HttpError } from "../errors.ts";

const PROTO_ROOT = fileURLToPath(new URL("./proto/", import.meta.url));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => PROTO_ROOT + target;
root.loadSync("opentelemetry/proto/collector/metrics/v1/metrics_service.proto");

const Request = root.lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest");
const Response = root.lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse");

/** Plain-object form shared by the protobuf and JSON encodings: 64-bit integers as strings, enums as numbers, bytes as base64. */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String, arrays: true, defaults: false, oneofs: true };

export type OtlpEncoding = "protobuf" | "json";

export function encodingOf(contentType: string | undefined): OtlpEncoding {
  const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/x-protobuf" || mediaType === "application/protobuf") return "protobuf";
  if (mediaType === "application/json") return "json";
  throw new HttpError(415, "unsupported_media_type", `send application/x-protobuf or application/json, not '${mediaType || "(none)"}'`);
}

/** OTLP/JSON writes trace and span ids as hex where protobuf's JSON mapping expects base64. */
function hexIdsToBase64(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hexIdsToBase64);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = (key === "traceId" || key === "spanId") && typeof inner === "string"
      ? Buffer.from(inner, "hex").toString("base64")
      : hexIdsToBase64(inner);
  }
  return out;
}

/** An ExportMetricsServiceRequest as a plain object; 400 when the body is not one. */
export function decodeMetricsRequest(encoding: OtlpEncoding, body: Buffer): Record<string, any> {
  try {
    const message = encoding === "protobuf"
      ? Request.decode(body)
      : Request.fromObject(hexIdsToBase64(JSON.parse(body.toString("utf8") || "{}")) as Record<string, unknown>);
    return Request.toObject(message, TO_OBJECT);
  } catch (error) {
    throw new HttpError(400, "malformed_otlp", `the body is not an OTLP ExportMetricsServiceRequest (${encoding}): ${(error as Error).message}`);
  }
}

export interface PartialSuccess {
  rejectedDataPoints: number;
  errorMessage: string;
}

/** The ExportMetricsServiceResponse, encoded like the request (JSON as an object for the route to send). */
export function encodeMetricsResponse(encoding: OtlpEncoding, partial: PartialSuccess | undefined): Buffer | Record<string, unknown> {
  const object = partial ? { partialSuccess: { ...partial } } : {};
  if (encoding === "json") return object;
  return Buffer.from(Response.encode(Response.fromObject(object)).finish());
}
export const ExportMetricsServiceRequest = Request;
