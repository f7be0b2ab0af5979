import { INVALID_SPAN_CONTEXT, trace, type Span, type Tracer, type TracerProvider } from "@opentelemetry/api";

/**
 * How long each store query took, by name, read from the spans the store already opens for
 * every ClickHouse call (packages/store/src/tracing.ts: "clickhouse <name>"). Registered as
 * the global tracer provider of this process, so it sees the queries of an API started
 * in-process; it records a duration per span and nothing else.
 */
export class QueryTimes {
  private durations = new Map<string, number[]>();

  constructor() {
    const record = (name: string, ms: number) => {
      if (!name.startsWith("clickhouse ")) return;
      const key = name.slice("clickhouse ".length);
      const list = this.durations.get(key) ?? [];
      list.push(ms);
      this.durations.set(key, list);
    };
    const startSpan = (name: string): Span => {
      const started = performance.now();
      const span = {
        spanContext: () => INVALID_SPAN_CONTEXT,
        setAttribute: () => span,
        setAttributes: () => span,
        addEvent: () => span,
        addLink: () => span,
        addLinks: () => span,
        setStatus: () => span,
        updateName: () => span,
        end: () => record(name, performance.now() - started),
        isRecording: () => true,
        recordException: () => {},
      };
      return span;
    };
    const tracer = {
      startSpan,
      // startActiveSpan(name, [options, [context,]] fn): the callback is always the last argument
      startActiveSpan: (name: string, ...rest: unknown[]) => (rest.at(-1) as (span: Span) => unknown)(startSpan(name)),
    } as unknown as Tracer;
    const provider: TracerProvider = { getTracer: () => tracer };
    trace.setGlobalTracerProvider(provider);
  }

  /** The queries since the last take, by name: how many ran and their median time. */
  take(): { query: string; calls: number; medianMs: number }[] {
    const rows = [...this.durations].map(([query, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return { query, calls: list.length, medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10 };
    });
    this.durations = new Map();
    return rows.sort((a, b) => b.medianMs - a.medianMs);
  }
}
