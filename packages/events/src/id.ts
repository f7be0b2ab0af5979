import { createHash } from "node:crypto";
import type { ParsedEvent } from "./schemas.ts";

function sortedRecord(record: Record<string, string> | undefined) {
  if (!record) return undefined;
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The id of an event that came without one: a hash of its normalised content, so that
 * posting the same event twice (a CI retry) yields the same id and counts once.
 *
 * zod builds its output objects in schema order, whatever the sender's key order, so
 * JSON.stringify of the parsed event is canonical once the free-form `labels` map is
 * sorted (the schema test holds this to account). Hashing is on the ingest hot path:
 * this is about five times faster than a generic sorted-keys serialiser.
 */
export function deriveEventId(event: ParsedEvent): string {
  const { id: _ignored, ...content } = event;
  const canonical = JSON.stringify({ ...content, labels: sortedRecord(content.labels) });
  return `${event.type}:${createHash("sha256").update(canonical).digest("hex").slice(0, 32)}`;
}
