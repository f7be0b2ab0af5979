import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startProcess, stopProcess } from "./process.ts";

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
