import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface RunningHarness {
  url: string;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

/** Starts the ClickHouse HTTP harness in a child process over a fresh data directory. */
export async function startClickHouseHarness(): Promise<RunningHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-clickhouse-http-"));
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, dataDir], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the ClickHouse HTTP harness exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.disconnect();
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
