import { pino, type Logger } from "pino";
import { trace } from "@opentelemetry/api";

/** JSON logs; each line carries the active trace and span ids so logs join traces. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "drumbeat-api" },
    mixin() {
      const span = trace.getActiveSpan()?.spanContext();
      return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
    },
  });
}
