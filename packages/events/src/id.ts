import { createHash } from "node:crypto";
import type { ParsedEvent } from "./schemas.ts";

/** JSON with object keys sorted, so equal events hash equally whatever the sender's key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The id of an event that came without one: a hash of its normalised content, so that
 * posting the same event twice (a CI retry) yields the same id and counts once.
 */
export function deriveEventId(event: ParsedEvent): string {
  const { id: _ignored, ...content } = event;
  return `${event.type}:${createHash("sha256").update(canonicalJson(content)).digest("hex").slice(0, 32)}`;
}
