import { mkdirSync } from "node:fs";
import { createClickHouseHttpServer } from "./server.ts";

/**
 * The harness as its own process (chdb binds one data directory per process): serves the
 * data directory given as the first argument on a loopback port, prints `{"port":N}` once
 * listening, and exits when its parent's IPC channel closes (so it never outlives the
 * tests). Not stdin: the engine would take that as an INSERT's data (src/stdin.ts).
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: main.ts <data directory>");
mkdirSync(dataDir, { recursive: true });
const harness = createClickHouseHttpServer(dataDir);
harness.server.listen(0, "127.0.0.1", () => {
  const address = harness.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
const stop = () => void harness.close().then(() => process.exit(0));
process.on("disconnect", stop);
process.on("SIGTERM", stop);
