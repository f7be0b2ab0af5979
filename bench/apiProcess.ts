import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../apps/api/src/main.ts", import.meta.url));

/**
 * Runs `load` against a fresh API process on `port` (embedded store in a scratch directory,
 * as `npm start` runs it), then stops it and removes the directory.
 */
export async function withApiProcess<T>(port: number, load: (url: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-bench-http-"));
  const api = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, PORT: String(port), DRUMBEAT_DATA_DIR: dataDir, DRUMBEAT_AUTH: "off", LOG_LEVEL: "warn", NODE_ENV: "production", CLICKHOUSE_URL: "" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    // Up to 2 minutes: a first start applies every migration, slow on a loaded machine.
    for (let i = 0; ; i++) {
      if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
      if (i > 1_200) throw new Error("API did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
    return await load(url);
  } finally {
    api.kill("SIGTERM");
    await new Promise((r) => api.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
