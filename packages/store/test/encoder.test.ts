import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch } from "@drumbeat/events";
import { RowEncoder } from "../src/ingest/encoder.ts";
import { encodeRows } from "../src/ingest/rows.ts";

const parsed = parseEventBatch([
  { type: "deployment", service: "enc", environment: "production", deploymentId: "enc-1", version: "v1", status: "succeeded",
    occurredAt: "2026-11-20T10:00:00Z", commits: [{ sha: "abc1234", authoredAt: "2026-11-20T09:00:00Z", message: "ünïcode \"quoted\"" }] },
  { type: "incident", service: "enc", environment: "production", incidentId: "inc-1", status: "opened", occurredAt: "2026-11-20T11:00:00Z" },
]);
assert.ok(parsed.ok);
const events = parsed.events;
const lines = events.map((event) => JSON.stringify(event));

describe("the ingest log's row encoder", () => {
  it("encodes on its worker thread exactly what the event loop would, the journal payload being the log line", async () => {
    const encoder = new RowEncoder();
    const rows = await encoder.encode(events, lines);
    await encoder.close();
    assert.deepEqual(rows, encodeRows(events));
    assert.deepEqual(rows.typed.map(([table]) => table), ["deployment_events", "deployment_commits", "incident_events"]);
    assert.deepEqual(rows.journal.trim().split("\n").map((row) => JSON.parse(row).payload), lines);
  });

  it("encodes on the calling thread once its worker is gone", async () => {
    const encoder = new RowEncoder();
    await encoder.close();
    assert.deepEqual(await encoder.encode(events, lines), encodeRows(events));
  });
});
