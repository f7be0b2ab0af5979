import { z } from "zod";
import type { DrumbeatEvent } from "@drumbeat/events";
import type { Store } from "../store.ts";

export interface WriteResult {
  accepted: number;
  duplicates: number;
  /** Ids of the events that were new. */
  ids: string[];
}

/** Lookups are chunked so a large batch never becomes one enormous parameter. */
const LOOKUP_CHUNK = 5_000;

async function knownIds(store: Store, ids: string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const rows = await store.query({
      name: "events.knownIds",
      sql: "SELECT DISTINCT id FROM events WHERE id IN {ids:Array(String)}",
      params: { ids: ids.slice(i, i + LOOKUP_CHUNK) },
      rows: z.object({ id: z.string() }),
    });
    for (const row of rows) known.add(row.id);
  }
  return known;
}

/** The `events` row of a validated event (also used by the ingest benchmark as the raw baseline). */
export function toEventRow(event: DrumbeatEvent) {
  return {
    id: event.id,
    type: event.type,
    occurred_at: event.occurredAt,
    service: event.service,
    environment: event.environment,
    team: event.team ?? "",
    source: event.source ?? "",
    payload: JSON.stringify(event),
  };
}

/**
 * Durably writes validated events, once each: ids already stored (or repeated within the
 * batch) are counted as duplicates and not written again. All new events go in one
 * INSERT, which the materialized views fan out into the typed tables; the tables are
 * ReplacingMergeTrees keyed by event id, so even two racing writers cannot double count.
 */
export async function writeEvents(store: Store, events: readonly DrumbeatEvent[]): Promise<WriteResult> {
  const known = await knownIds(store, [...new Set(events.map((event) => event.id))]);
  const fresh: DrumbeatEvent[] = [];
  for (const event of events) {
    if (known.has(event.id)) continue;
    known.add(event.id);
    fresh.push(event);
  }
  await store.insert("events", fresh.map(toEventRow));
  return { accepted: fresh.length, duplicates: events.length - fresh.length, ids: fresh.map((event) => event.id) };
}
