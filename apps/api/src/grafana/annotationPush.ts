import type { Logger } from "pino";
import type { DrumbeatEvent } from "@drumbeat/events";

/** Where and how to reach Grafana's annotations HTTP API (GRAFANA_URL, GRAFANA_TOKEN). */
export interface AnnotationPushSettings {
  url: string;
  token: string;
  productionEnvironment: string;
  logger: Logger;
  /** Waits before each retry; the push is dropped (and logged) after the last. */
  retryDelaysMs?: readonly number[];
  /** Pushes waiting at most; beyond it the oldest is dropped, so a long outage cannot grow memory. */
  maxQueue?: number;
  timeoutMs?: number;
}

/** The body of POST /api/annotations (Grafana's HTTP API), one per finished production deployment. */
export interface GrafanaAnnotation {
  time: number;
  tags: string[];
  text: string;
}

const FINISHED = new Set(["succeeded", "failed", "rolled_back"]);
const DEFAULT_RETRIES = [1_000, 5_000, 30_000, 120_000, 600_000];

/** A production deployment that reached a final status; `started` is not marked (its end will be). */
export function annotationOf(event: DrumbeatEvent, productionEnvironment: string): GrafanaAnnotation | undefined {
  if (event.type !== "deployment" || event.environment !== productionEnvironment || !FINISHED.has(event.status)) return undefined;
  const kind = event.kind === "rollback" ? "rollback" : "deployment";
  const what = kind === "rollback" ? `rolls back ${event.rollsBack ?? "a deployment"}` : event.status;
  return {
    time: Date.parse(event.occurredAt),
    tags: ["drumbeat", kind, event.status, `service:${event.service}`, `environment:${event.environment}`, `version:${event.version}`],
    text: `${event.service} ${event.version} ${what}${event.actor ? ` by ${event.actor}` : ""} (deployment ${event.deploymentId})`,
  };
}

class Retryable extends Error {}

/**
 * Pushes deployment markers to Grafana as they arrive, in the background: `enqueue` returns
 * at once, a failed push waits and is retried (network errors, 5xx, 429), a push Grafana
 * refuses (other 4xx: a bad token) is logged and dropped. Ingest never waits for Grafana.
 */
export class AnnotationPusher {
  private readonly queue: { annotation: GrafanaAnnotation; attempt: number }[] = [];
  private draining = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly retryDelays: readonly number[];
  private readonly maxQueue: number;

  constructor(private readonly settings: AnnotationPushSettings) {
    this.retryDelays = settings.retryDelaysMs ?? DEFAULT_RETRIES;
    this.maxQueue = settings.maxQueue ?? 10_000;
  }

  /** The AfterWrite hook: queues the production deployments among the freshly written events. */
  readonly afterWrite = (fresh: readonly DrumbeatEvent[]): void => {
    for (const event of fresh) {
      const annotation = annotationOf(event, this.settings.productionEnvironment);
      if (annotation) this.enqueue(annotation, 0);
    }
    void this.drain();
  };

  private enqueue(annotation: GrafanaAnnotation, attempt: number) {
    if (this.closed) return;
    if (this.queue.length >= this.maxQueue) {
      const dropped = this.queue.shift();
      this.settings.logger.warn({ annotation: dropped?.annotation }, "grafana annotation queue full; dropped the oldest");
    }
    this.queue.push({ annotation, attempt });
  }

  private async drain() {
    if (this.draining || this.closed) return;
    this.draining = true;
    try {
      for (let item = this.queue.shift(); item && !this.closed; item = this.queue.shift()) {
        try {
          await this.post(item.annotation);
        } catch (error) {
          const delay = this.retryDelays[item.attempt];
          const log = { err: error, annotation: item.annotation, attempt: item.attempt + 1 };
          if (!(error instanceof Retryable) || delay === undefined) {
            this.settings.logger.error(log, "grafana annotation not pushed; giving up");
            continue;
          }
          this.settings.logger.warn({ ...log, retryInMs: delay }, "grafana annotation push failed; will retry");
          this.retryLater(item.annotation, item.attempt + 1, delay);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private retryLater(annotation: GrafanaAnnotation, attempt: number, delay: number) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(annotation, attempt);
      void this.drain();
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private async post(annotation: GrafanaAnnotation) {
    let response: Response;
    try {
      response = await fetch(new URL("api/annotations", this.settings.url.endsWith("/") ? this.settings.url : `${this.settings.url}/`), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.settings.token}` },
        body: JSON.stringify(annotation),
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw new Retryable(`Grafana unreachable: ${(error as Error).message}`);
    }
    await response.body?.cancel();
    if (response.ok) return;
    const message = `Grafana answered ${response.status}`;
    throw response.status >= 500 || response.status === 429 ? new Retryable(message) : new Error(message);
  }

  /** Stops retrying; queued pushes are dropped (they are markers, not data). */
  close() {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
  }
}
