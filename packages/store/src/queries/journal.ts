import { z } from "zod";
import type { Store } from "../store.ts";
import { writerOf } from "../ingest/writer.ts";
import { dateTimeParam } from "./filters.ts";

export const JournalOutcome = z.enum(["accepted", "ignored", "malformed"]);

/** One accepted webhook delivery, raw, with what its mapping made of it. */
export const JournalEntry = z.object({
  receivedAt: z.string(),
  source: z.string(),
  deliveryId: z.string(),
  headers: z.record(z.string(), z.string()),
  payload: z.string(),
  mappingVersion: z.number(),
  outcome: JournalOutcome,
  reason: z.string(),
  eventIds: z.array(z.string()),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

/**
 * Records deliveries (or their reprocessing), through the store's shared writer; a
 * (source, delivery) written again replaces the earlier row.
 */
export async function writeJournal(store: Store, entries: readonly JournalEntry[]): Promise<void> {
  const processedAt = new Date().toISOString();
  await writerOf(store).insert("webhook_journal", entries.map((entry) => ({
    received_at: entry.receivedAt,
    source: entry.source,
    delivery_id: entry.deliveryId,
    headers: entry.headers,
    payload: entry.payload,
    mapping_version: entry.mappingVersion,
    outcome: entry.outcome,
    reason: entry.reason,
    event_ids: entry.eventIds,
    processed_at: processedAt,
  })));
}

export const JournalPageQuery = z.object({
  /** '' for every source. */
  source: z.string().default(""),
  since: z.string(),
  /** Keyset cursor: the last (receivedAt, deliveryId) of the previous page. */
  after: z.object({ receivedAt: z.string(), deliveryId: z.string() }).optional(),
  limit: z.number().int().min(1).max(5_000).default(500),
});
export type JournalPageQuery = z.input<typeof JournalPageQuery>;

/** Deliveries received at or after `since`, oldest first, one page at a time. */
export async function readJournal(store: Store, input: JournalPageQuery): Promise<JournalEntry[]> {
  const query = JournalPageQuery.parse(input);
  return store.query({
    name: "journal.page",
    sql: `SELECT received_at AS receivedAt, source, delivery_id AS deliveryId, headers, payload,
        mapping_version AS mappingVersion, outcome, reason, event_ids AS eventIds
      FROM webhook_journal FINAL
      WHERE ({source:String} = '' OR source = {source:String})
        AND received_at >= {since:DateTime64(3, 'UTC')}
        AND (received_at, delivery_id) > ({afterAt:DateTime64(3, 'UTC')}, {afterId:String})
      ORDER BY received_at, delivery_id
      LIMIT {limit:UInt32}`,
    params: {
      source: query.source,
      since: dateTimeParam(query.since),
      afterAt: dateTimeParam(query.after?.receivedAt ?? "1970-01-01T00:00:00Z"),
      afterId: query.after?.deliveryId ?? "",
      limit: query.limit,
    },
    rows: JournalEntry,
  });
}
