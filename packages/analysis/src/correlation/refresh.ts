import type { Store } from "@drumbeat/store";
import type { MetricPointRow } from "../metrics/schemas.ts";
import { impactOf } from "./impact.ts";
import type { CorrelationSettings } from "./settings.ts";
import { deploymentSpans } from "./sql/timelines.ts";

const MINUTE_MS = 60_000;

interface Dirty {
  environment: string;
  service: string;
  from: number;
  to: number;
}

/**
 * Keeps stored impacts current as points arrive: metric writes note which service and
 * minutes they touched, and a pass (debounced, or `flush`) recomputes the deployments
 * whose windows overlap them, late points included.
 */
export class ImpactRefresher {
  private dirty = new Map<string, Dirty>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly settings: CorrelationSettings,
    private readonly delayMs = 2_000,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Notes the services and minutes of freshly written points. */
  notePoints(points: readonly Pick<MetricPointRow, "environment" | "service" | "at">[]) {
    const spans = new Map<string, Dirty>();
    for (const point of points) {
      const at = Date.parse(`${point.at.replace(" ", "T")}Z`);
      const key = `${point.environment}\u0000${point.service}`;
      const span = spans.get(key) ?? { environment: point.environment, service: point.service, from: at, to: at };
      span.from = Math.min(span.from, at);
      span.to = Math.max(span.to, at + MINUTE_MS);
      spans.set(key, span);
    }
    for (const span of spans.values()) this.note(span.environment, span.service, span.from, span.to);
  }

  note(environment: string, service: string, fromMs: number, toMs: number) {
    const key = `${environment}\u0000${service}`;
    const previous = this.dirty.get(key);
    this.dirty.set(key, { environment, service, from: Math.min(fromMs, previous?.from ?? fromMs), to: Math.max(toMs, previous?.to ?? toMs) });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(this.onError);
    }, this.delayMs);
    this.timer.unref?.();
  }

  /** Recomputes what is dirty now; resolves when done. */
  flush(): Promise<void> {
    const batch = [...this.dirty.values()];
    this.dirty.clear();
    // a failed pass must not stop the next ones
    this.running = this.running.catch(() => {}).then(() => this.refresh(batch));
    return this.running;
  }

  close() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async refresh(batch: Dirty[]) {
    const window = this.settings.windowMinutes * MINUTE_MS;
    for (const { environment, service, from, to } of batch) {
      // a deployment reads from (start - window) to (finish + window)
      const spans = await deploymentSpans(this.store, {
        environment, service, from: new Date(from - window - 24 * 60 * MINUTE_MS).toISOString(), to: new Date(to + window).toISOString(),
      });
      for (const span of spans) {
        const reads = { from: Date.parse(span.startedAt) - window, to: (span.finishedAt ? Date.parse(span.finishedAt) : Date.now()) + window };
        if (reads.from <= to && reads.to >= from) await impactOf(this.store, span.deploymentId, this.settings);
      }
    }
  }
}
