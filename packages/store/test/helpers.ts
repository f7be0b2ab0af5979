import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, openStore, type Store } from "../src/index.ts";
import { acquireTestServer } from "./backend.ts";

/**
 * A migrated store for one test file on the test backend (backend.ts): a server in a
 * database of its own, or the embedded engine in a fresh directory.
 */
export async function openTestStore(name: string): Promise<{ store: Store; dispose: () => Promise<void> }> {
  const database = `drumbeat_test_${name}_${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), `drumbeat-${name}-`));
  const server = await acquireTestServer();
  const store = await openStore({ dataDir, database, url: server.url });
  await migrate(store);
  return {
    store,
    dispose: async () => {
      if (store.backend === "server") await store.command("test.dropDatabase", `DROP DATABASE IF EXISTS ${database}`);
      await store.close();
      await server.release();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
