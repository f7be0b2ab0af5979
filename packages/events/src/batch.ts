import { EventInput, type DrumbeatEvent } from "./schemas.ts";
import { deriveEventId } from "./id.ts";

export interface EventIssue {
  /** Position of the event in the batch. */
  index: number;
  /** Dotted field path inside that event, e.g. `commits.0.sha`; empty for the event itself. */
  path: string;
  message: string;
}

export type BatchResult =
  | { ok: true; events: DrumbeatEvent[] }
  | { ok: false; issues: EventIssue[] };

/** Validates every item of a batch; the batch is usable only when all items are. */
export function parseEventBatch(items: readonly unknown[]): BatchResult {
  const events: DrumbeatEvent[] = [];
  const issues: EventIssue[] = [];
  items.forEach((item, index) => {
    const result = EventInput.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ index, path: issue.path.map(String).join("."), message: issue.message });
      }
      return;
    }
    events.push({ ...result.data, id: result.data.id ?? deriveEventId(result.data) });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, events };
}
