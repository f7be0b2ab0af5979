import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RUN = fileURLToPath(new URL("../src/run.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");

/** `drumbeat serve` as a child process; a configuration it refuses must stop it within seconds. */
function serve(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", TSX, RUN, "serve"], { env: { PATH: process.env.PATH!, LOG_LEVEL: "silent", PORT: "0", ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => { clearTimeout(timer); resolve({ code, stderr }); });
  });
}

describe("drumbeat serve: configuration refused before anything starts", () => {
  const dir = mkdtempSync(join(tmpdir(), "drumbeat-serve-"));
  const dataDir = join(dir, "data");

  it("refuses a DRUMBEAT_WEB_PORT that is not a port", async () => {
    for (const port of ["abc", "70000", "-1"]) {
      const { code, stderr } = await serve({ DRUMBEAT_AUTH: "off", DRUMBEAT_DATA_DIR: dataDir, DRUMBEAT_WEB_PORT: port });
      assert.equal(code, 1, stderr);
      assert.match(stderr, /DRUMBEAT_WEB_PORT/);
    }
  });

  it("refuses to serve the dashboard with a shared read token on a non-loopback address, naming DRUMBEAT_WEB_TOKEN", async () => {
    const { code, stderr } = await serve({ HOST: "0.0.0.0", DRUMBEAT_AUTH: "on", DRUMBEAT_WEB_TOKEN: "some-read-token", DRUMBEAT_DATA_DIR: dataDir });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /DRUMBEAT_WEB_TOKEN/);
    assert.match(stderr, /--no-web/);
  });

  it("refuses half a trusted-proxy configuration or a guessable secret, naming what is wrong", async () => {
    const secret = "a-secret-of-thirty-two-characters!";
    const cases: [Record<string, string>, RegExp][] = [
      [{ DRUMBEAT_WEB_TRUSTED_PROXY_HEADER: "X-Forwarded-Email" }, /DRUMBEAT_WEB_TRUSTED_PROXY_SECRET: required[^]*DRUMBEAT_WEB_PROXY_TOKEN: required/],
      [{ DRUMBEAT_WEB_TRUSTED_PROXY_HEADER: "X-Forwarded-Email", DRUMBEAT_WEB_TRUSTED_PROXY_SECRET: "short", DRUMBEAT_WEB_PROXY_TOKEN: "t" }, /DRUMBEAT_WEB_TRUSTED_PROXY_SECRET: must be at least 32/],
      [{ DRUMBEAT_WEB_TRUSTED_PROXY_HEADER: "X Forwarded: Email", DRUMBEAT_WEB_TRUSTED_PROXY_SECRET: secret, DRUMBEAT_WEB_PROXY_TOKEN: "t" }, /DRUMBEAT_WEB_TRUSTED_PROXY_HEADER: must be a header name/],
    ];
    for (const [env, message] of cases) {
      const { code, stderr } = await serve({ DRUMBEAT_AUTH: "off", DRUMBEAT_DATA_DIR: dataDir, ...env });
      assert.equal(code, 1, stderr);
      assert.match(stderr, message);
    }
  });

  it("refuses a DRUMBEAT_DATA_DIR that is a file or lies under one, naming it", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    for (const path of [file, join(file, "below")]) {
      const { code, stderr } = await serve({ DRUMBEAT_AUTH: "off", DRUMBEAT_DATA_DIR: path, DRUMBEAT_WEB_PORT: "3001" });
      assert.equal(code, 1, stderr);
      assert.match(stderr, /DRUMBEAT_DATA_DIR/);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
