import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { writeMetrics, type Store } from "@drumbeat/store";
import { openTestStore } from "../../store/test/helpers.ts";
import { mapPointInputs } from "../src/index.ts";

/**
 * Metric points go through the store's shared ingest writer: concurrent requests share
 * one insert per table, and content written before (a retry) or sent twice at once is
 * written once (docs/metrics.md, "Retries").
 */
const request = (service: string, minute: number, value: number) => mapPointInputs([{
  service, environment: "production", metric: "queue.depth", at: new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString(), value,
}]);

describe("metric points through the shared ingest writer", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  before(async () => ({ store, dispose } = await openTestStore("metrics_writer")));
  after(() => dispose());

  const stored = async (service: string) => (await store.query({
    name: "test.stored",
    sql: `SELECT (SELECT count() FROM otel_metrics_gauge WHERE ServiceName = {service:String}) AS raw,
      (SELECT sum(points) FROM metric_rollup_1m WHERE service = {service:String}) AS points`,
    params: { service }, rows: z.object({ raw: z.number(), points: z.number() }),
  }))[0]!;

  it("coalesces concurrent requests into one insert per table", async () => {
    const before = store.ownWrites;
    const written = await Promise.all(Array.from({ length: 32 }, (_, i) => {
      const batch = request("shared", i % 60, i);
      return writeMetrics(store, { batchHash: `shared-${i}`, raw: batch.raw, points: batch.points });
    }));
    assert.deepEqual(written, Array(32).fill(true));
    assert.deepEqual(await stored("shared"), { raw: 32, points: 32 });
    // One pass: otel_metrics_gauge, metric_points and the batch markers (the embedded engine counts its own writes).
    if (before !== undefined) assert.equal(store.ownWrites! - before, 3);
  });

  it("writes content sent by concurrent requests once, and a later retry not at all", async () => {
    const batch = request("retried", 1, 5);
    const write = () => writeMetrics(store, { batchHash: "retried-1", raw: batch.raw, points: batch.points });
    const concurrent = await Promise.all(Array.from({ length: 8 }, write));
    assert.deepEqual(concurrent.filter(Boolean).length, 1);
    assert.equal(await write(), false);
    assert.deepEqual(await stored("retried"), { raw: 1, points: 1 });
  });
});
