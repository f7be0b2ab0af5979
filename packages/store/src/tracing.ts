import { SpanStatusCode, trace } from "@opentelemetry/api";
import { toStoreError } from "./errors.ts";

const tracer = trace.getTracer("@drumbeat/store");

/** Runs one ClickHouse call inside a client span carrying the semantic db.* attributes. */
export function traced<T>(name: string, sql: string, backend: string, run: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(`clickhouse ${name}`, { kind: 3 /* CLIENT */ }, async (span) => {
    span.setAttributes({ "db.system.name": "clickhouse", "db.query.text": sql, "db.operation.name": name, "drumbeat.store.backend": backend });
    try {
      return await run();
    } catch (error) {
      const storeError = toStoreError(error, name);
      span.recordException(storeError);
      span.setStatus({ code: SpanStatusCode.ERROR, message: storeError.kind });
      throw storeError;
    } finally {
      span.end();
    }
  });
}
