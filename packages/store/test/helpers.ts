import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, openStore, type Store } from "../src/index.ts";

/**
 * A migrated store for one test file: the server named by CLICKHOUSE_URL when set (in a
 * database of its own), else the embedded engine in a fresh directory.
 */
export async function openTestStore(name: string): Promise<{ store: Store; dispose: () => Promise<void> }> {
  const database = `drumbeat_test_${name}_${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), `drumbeat-${name}-`));
  const store = await openStore({ dataDir, database, url: process.env.CLICKHOUSE_URL || undefined });
  await migrate(store);
  return {
    store,
    dispose: async () => {
      if (store.backend === "server") await store.command("test.dropDatabase", `DROP DATABASE IF EXISTS ${database}`);
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
