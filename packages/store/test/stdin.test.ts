import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import assert from "node:assert/strict";

const CHILD = fileURLToPath(new URL("./children/writeWithStdin.ts", import.meta.url));

// The engine reads a process's stdin as an INSERT's data (chdb-io/chdb-core#239): without
// the store pointing fd 0 elsewhere, these bytes fail every insert, migrations first.
describe("the embedded store and its process's stdin", () => {
  it("writes and reads as usual whatever waits on stdin, and never takes it as rows", () => {
    const child = spawnSync(process.execPath, ["--import", "tsx", CHILD], {
      input: '{"version":9999,"name":"not a row","checksum":"x"}\n(1)\n', encoding: "utf8", timeout: 120_000,
    });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout.trim()), { accepted: 3, deployments: 3 });
  });
});
