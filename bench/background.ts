import { z } from "zod";
import type { Store } from "@drumbeat/store";

/**
 * Waits (up to 5 minutes) until the engine has no background work left from a bulk write:
 * no merge running, and no part of the tables matching `tables` (a LIKE pattern) replaced
 * by a merge and still waiting to be deleted. Timing while a merge of millions of rows runs
 * measures that merge (removing a thousand parts slowed the first timed runs by up to half).
 */
export async function backgroundWorkDone(store: Store, tables: string): Promise<void> {
  const pending = async () => (await store.query({
    name: "bench.background",
    sql: `SELECT (SELECT count() FROM system.merges) + (SELECT count() FROM system.parts
      WHERE database = currentDatabase() AND table LIKE {tables:String} AND NOT active) AS n`,
    params: { tables },
    rows: z.object({ n: z.number() }),
  }))[0]!.n;
  const deadline = Date.now() + 300_000;
  while (await pending() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1_000));
}
