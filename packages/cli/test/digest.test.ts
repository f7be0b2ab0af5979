import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { startTestApi, type TestApi } from "../../../apps/api/test/helpers.ts";
import { runCli } from "./cli.ts";

describe("drumbeat digest", () => {
  let api: TestApi;
  let dir: string;
  let smtp: SMTPServer;
  const recipients: string[][] = [];
  before(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ["STARTTLS"], logger: false,
      onData(stream, session, callback) {
        stream.resume();
        stream.on("end", () => {
          recipients.push(session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    api = await startTestApi("clidigest", {
      // A cron that never fires: the test sends by hand.
      digest: { smtpUrl: `smtp://127.0.0.1:${port}`, from: "drumbeat@example.com", to: ["cto@example.com"], cron: "0 0 30 2 *", settleMs: 20 },
      collectors: { digest: { teams: { payments: ["payments@example.com"] } } },
    });
    await api.call("/api/v1/events", { method: "POST", json: { type: "deployment", deploymentId: "d1", service: "checkout", team: "payments", environment: "production", version: "v1", status: "succeeded", occurredAt: "2026-11-17T10:00:00Z" } });
    dir = mkdtempSync(join(tmpdir(), "drumbeat-digest-"));
  });
  after(async () => {
    await api.dispose();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("--preview writes the HTML and text parts of a team's week", async () => {
    const out = join(dir, "out.html");
    const result = await runCli(["digest", "--week", "2026-W47", "--team", "payments", "--preview", out], { env: { DRUMBEAT_URL: api.url } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Drumbeat weekly digest 2026-W47 \(payments\): 1 deployment, /);
    assert.match(result.stdout, /--send would mail payments@example\.com/);
    assert.match(readFileSync(out, "utf8"), /^<!doctype html>.*Drumbeat weekly digest/s);
    assert.match(readFileSync(join(dir, "out.txt"), "utf8"), /Deployment frequency: 1 deployed/);
  });

  it("--send mails once; a second --send says it was already sent", async () => {
    const first = await runCli(["digest", "--week", "2026-W47", "--send"], { env: { DRUMBEAT_URL: api.url } });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^sent 2026-W47 to cto@example\.com/);
    const second = await runCli(["digest", "--week", "2026-W47", "--send"], { env: { DRUMBEAT_URL: api.url } });
    assert.match(second.stdout, /already sent/);
    assert.deepEqual(recipients, [["cto@example.com"]]);
  });

  it("rejects a bad week and a missing mode with a usage error", async () => {
    const bad = await runCli(["digest", "--week", "2026-47", "--preview", join(dir, "x.html")], { env: { DRUMBEAT_URL: api.url } });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /query\.week: an ISO week such as 2026-W47/);
    const mode = await runCli(["digest", "--week", "2026-W47"], { env: { DRUMBEAT_URL: api.url } });
    assert.equal(mode.code, 2);
  });
});
