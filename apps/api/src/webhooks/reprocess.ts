import { collectorFor, type CollectorsConfig, type SourceName } from "@drumbeat/collectors";
import { readJournal, type Store } from "@drumbeat/store";
import { recordDelivery } from "./record.ts";

export interface ReprocessReport {
  deliveries: number;
  /** Events the current mappings produced. */
  events: number;
  /** Of those, events not stored before (new ids). */
  written: number;
  ignored: number;
  malformed: number;
}

const PAGE = 500;

/**
 * Maps journaled deliveries again with the current mappings and configuration. Event ids
 * derive from the delivery, so running it twice, or over deliveries already mapped, adds
 * nothing: only events the earlier mapping did not produce are written. An event whose
 * id is already stored keeps its stored content (see docs/integrations.md).
 */
export async function reprocessJournal(store: Store, config: CollectorsConfig, scope: { source?: SourceName; since: string }): Promise<ReprocessReport> {
  const report: ReprocessReport = { deliveries: 0, events: 0, written: 0, ignored: 0, malformed: 0 };
  let after: { receivedAt: string; deliveryId: string } | undefined;
  for (;;) {
    const page = await readJournal(store, { source: scope.source ?? "", since: scope.since, after, limit: PAGE });
    // A page's deliveries are recorded concurrently, so the shared writer coalesces their inserts.
    await Promise.all(page.map(async (entry) => {
      const collector = collectorFor(entry.source);
      if (!collector) return;
      const delivery = { headers: entry.headers, payload: JSON.parse(entry.payload) as unknown, deliveryId: entry.deliveryId, receivedAt: entry.receivedAt };
      const { result, written } = await recordDelivery(store, collector, delivery, entry.payload, collector.map(delivery, config));
      report.deliveries += 1;
      if (result.kind === "events") {
        report.events += result.events.length;
        report.written += written?.accepted ?? 0;
      } else report[result.kind] += 1;
    }));
    if (page.length < PAGE) return report;
    const last = page[page.length - 1]!;
    after = { receivedAt: last.receivedAt, deliveryId: last.deliveryId };
  }
}
