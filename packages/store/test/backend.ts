import { startClickHouseHarness, type RunningHarness } from "./clickhouse-http/start.ts";

/**
 * Which ClickHouse a test suite runs on: the embedded engine by default; with
 * DRUMBEAT_TEST_BACKEND=server, the server backend (@clickhouse/client over HTTP) against
 * CLICKHOUSE_URL's server when set, else against the ClickHouse HTTP harness (the real
 * engine behind ClickHouse's HTTP interface, in a child process). `npm test` runs the
 * store, DORA and API suites both ways.
 */
export const testBackend: "embedded" | "server" = process.env.DRUMBEAT_TEST_BACKEND === "server" ? "server" : "embedded";

let harness: Promise<RunningHarness> | undefined;
let users = 0;

/** The server URL for one test store (undefined: embedded), and how to let go of it. */
export async function acquireTestServer(): Promise<{ url: string | undefined; release: () => Promise<void> }> {
  if (testBackend === "embedded") return { url: undefined, release: async () => {} };
  if (process.env.CLICKHOUSE_URL) return { url: process.env.CLICKHOUSE_URL, release: async () => {} };
  return acquireHarness();
}

/** The harness of this test process (one per process, stopped when its last user lets go). */
export async function acquireHarness(): Promise<{ url: string; release: () => Promise<void> }> {
  users += 1;
  harness ??= startClickHouseHarness();
  const { url } = await harness;
  let released = false;
  return {
    url,
    async release() {
      if (released) return;
      released = true;
      users -= 1;
      if (users > 0 || !harness) return;
      const running = harness;
      harness = undefined;
      await (await running).stop();
    },
  };
}
