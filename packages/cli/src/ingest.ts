import { callApi, type ApiTarget } from "./client.ts";
import { eventsPerSecond, formatCount } from "./progress.ts";

/** The answer of POST /api/v1/events. */
export interface IngestAnswer {
  accepted: number;
  duplicates: number;
  ids: string[];
}

/** Running totals of a load made of several batches. */
export class IngestTotals {
  readonly started = Date.now();
  accepted = 0;
  duplicates = 0;

  get sent() {
    return this.accepted + this.duplicates;
  }

  add(answer: IngestAnswer) {
    this.accepted += answer.accepted;
    this.duplicates += answer.duplicates;
  }

  summary(): string {
    const elapsedMs = Date.now() - this.started;
    return `${formatCount(this.accepted)} accepted, ${formatCount(this.duplicates)} duplicates (already stored) in ` +
      `${(elapsedMs / 1000).toFixed(1)} s, ${formatCount(eventsPerSecond(this.sent, elapsedMs))} events/s`;
  }
}

/** Posts one batch: NDJSON lines as they were read, or events as a JSON array. */
export function postBatch(target: ApiTarget, batch: { ndjson: string } | { json: unknown[] }): Promise<IngestAnswer> {
  return callApi<IngestAnswer>(target, "POST", "/api/v1/events", batch);
}
