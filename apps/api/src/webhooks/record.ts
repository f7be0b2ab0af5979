import type { Collector, Delivery, MappingResult } from "@drumbeat/collectors";
import { writeEvents, writeJournal, type Store, type WriteResult } from "@drumbeat/store";

export interface Recorded {
  result: MappingResult;
  /** Set when the mapping produced events. */
  written?: WriteResult;
}

/**
 * Keeps a mapped delivery: its events first (durable before the answer; ids already
 * stored are skipped, so a redelivery or reprocess counts once), then its journal row
 * with the mapping version and outcome. A crash in between leaves the events, and the
 * sender's retry writes the journal row.
 */
export async function recordDelivery(store: Store, collector: Collector, delivery: Delivery, payloadText: string, result: MappingResult): Promise<Recorded> {
  const written = result.kind === "events" ? await writeEvents(store, result.events) : undefined;
  await writeJournal(store, [{
    receivedAt: delivery.receivedAt,
    source: collector.source,
    deliveryId: delivery.deliveryId,
    headers: { ...delivery.headers },
    payload: payloadText,
    mappingVersion: collector.mappingVersion,
    outcome: result.kind === "events" ? "accepted" : result.kind,
    reason: result.kind === "ignored" ? result.reason : result.kind === "malformed" ? result.issues.map((i) => `${i.path}: ${i.message}`).join("; ") : "",
    eventIds: result.kind === "events" ? result.events.map((event) => event.id) : [],
  }]);
  return { result, written };
}
