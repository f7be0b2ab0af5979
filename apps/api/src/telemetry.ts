import { NodeSDK } from "@opentelemetry/sdk-node";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { ExpressInstrumentation } from "@opentelemetry/instrumentation-express";

const HEALTH_PATHS = new Set(["/healthz", "/readyz"]);

/**
 * Our own traces and metrics, configured by the standard OTEL_* variables and silent
 * when none names an exporter endpoint. Must run before express/http are imported.
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): NodeSDK | undefined {
  const configured = Object.keys(env).some((key) => /^OTEL_EXPORTER_OTLP(_TRACES|_METRICS)?_ENDPOINT$/.test(key) || key === "OTEL_TRACES_EXPORTER");
  if (!configured || env.OTEL_SDK_DISABLED === "true") return undefined;
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? "drumbeat-api",
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => HEALTH_PATHS.has(request.url ?? "") }),
      new ExpressInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
