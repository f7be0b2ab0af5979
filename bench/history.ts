import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_DORA_SETTINGS, refreshFacts } from "@drumbeat/analysis";
import { migrate, openStore, type Store } from "@drumbeat/store";
import { generate, type Scale } from "./dora/generate.ts";

/**
 * Where a dashboard benchmark keeps its embedded store: BENCH_DATA_DIR when set (kept, so
 * later runs reuse the history generated there: same data before and after a change),
 * else a scratch directory removed by `dispose`.
 */
export function benchDataDir(prefix: string): { dataDir: string; dispose: () => void } {
  const kept = process.env.BENCH_DATA_DIR;
  const work = kept ?? mkdtempSync(join(tmpdir(), prefix));
  return {
    dataDir: join(work, "chdb"),
    dispose: () => {
      if (kept === undefined) rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * The store at `dataDir` holding the synthetic history at `scale` (generated unless the
 * directory already has it), with the DORA facts current for the API's default settings.
 */
export async function openHistory(dataDir: string, database: string, scale: Scale): Promise<Store> {
  const fresh = !existsSync(dataDir);
  const store = await openStore({ dataDir, database });
  await migrate(store);
  if (fresh) {
    await generate(store, scale);
    // The generator's writes note every service as changed (dora_changes, dated by the store's
    // clock); a build within the API's settle time of them (10 s, facts.ts) counts as stale, and
    // the API would rebuild every service under the timed loads. Built after it, they are current.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
  }
  await refreshFacts(store, "production", DEFAULT_DORA_SETTINGS);
  return store;
}
