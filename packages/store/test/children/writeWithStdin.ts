/**
 * Run by stdin.test.ts with bytes waiting on its stdin: opens an embedded store, writes
 * events and prints what it reads back, as JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { parseEventBatch } from "@drumbeat/events";
import { migrate, openStore, writeEvents } from "../../src/index.ts";

const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-stdin-"));
try {
  const store = await openStore({ dataDir, database: "stdin" });
  await migrate(store);
  const parsed = parseEventBatch(Array.from({ length: 3 }, (_, i) => ({
    type: "deployment", service: "stdin", environment: "production", deploymentId: `stdin-${i}`, version: "v1",
    status: "succeeded", occurredAt: "2026-11-30T10:00:00Z",
  })));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  const written = await writeEvents(store, parsed.events);
  const [stored] = await store.query({
    name: "stdin.count", sql: "SELECT count() AS deployments FROM deployments FINAL", rows: z.object({ deployments: z.number() }),
  });
  console.log(JSON.stringify({ accepted: written.accepted, deployments: stored!.deployments }));
  await store.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
