import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import assert from "node:assert/strict";

const CHILD = fileURLToPath(new URL("./children/writeWithStdin.ts", import.meta.url));

/** Runs the child with `input` waiting on its stdin (the pipe then closed), and returns what it printed. */
function runWithStdin(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

// The engine reads a process's stdin as an INSERT's data (chdb-io/chdb-core#239): without
// the store pointing fd 0 elsewhere, these bytes fail every insert, migrations first.
describe("the embedded store and its process's stdin", () => {
  it("writes and reads as usual whatever waits on stdin, and never takes it as rows", async () => {
    const result = await runWithStdin('{"version":9999,"name":"not a row","checksum":"x"}\n(1)\n');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout.trim()), { accepted: 3, deployments: 3 });
  });
});
