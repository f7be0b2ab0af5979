import type { DrumbeatEvent } from "@drumbeat/events";

/**
 * Called after a batch is durably written, with only the events that were new (a retried
 * request calls it with nothing). It must return at once and never throw: whatever it
 * starts (the Grafana annotation push) runs after the answer and cannot fail the ingest.
 */
export type AfterWrite = (fresh: readonly DrumbeatEvent[]) => void;

/** The written events among a batch, by the ids writeEvents reports as new. */
export function freshEvents(events: readonly DrumbeatEvent[], newIds: readonly string[]): DrumbeatEvent[] {
  const ids = new Set(newIds);
  return events.filter((event) => ids.delete(event.id));
}
