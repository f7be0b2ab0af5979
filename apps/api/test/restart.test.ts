import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the real API entry point as its own process, as `npm start` does. */
async function startProcess(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, DRUMBEAT_DATA_DIR: dataDir, PORT: String(port), DRUMBEAT_AUTH: "off", LOG_LEVEL: "warn", CLICKHOUSE_URL: "" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ready) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the API did not become ready");
}

async function stopProcess(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

describe("a restart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-restart-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps every acknowledged event", async () => {
    const port = await freePort();
    const first = await startProcess(dataDir, port);
    const url = `http://127.0.0.1:${port}`;
    try {
      const posted = await fetch(`${url}/api/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "deployment", deploymentId: "keep-me", service: "ledger", environment: "production", version: "abc1234", status: "succeeded", occurredAt: "2026-11-20T10:00:00Z" }),
      });
      assert.equal(posted.status, 202);
    } finally {
      await stopProcess(first);
    }
    const second = await startProcess(dataDir, port);
    try {
      const answer = await fetch(`${url}/api/v1/deployments/keep-me`);
      assert.equal(answer.status, 200);
      assert.equal((await answer.json()).status, "succeeded");
    } finally {
      await stopProcess(second);
    }
  });
});
