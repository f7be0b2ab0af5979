import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/** A real OTLP/HTTP (JSON) receiver collecting span names. */
function startCollector(spans: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        const payload = JSON.parse(body);
        for (const resource of payload.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? []) for (const span of scope.spans ?? []) spans.push(span.name);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("our own telemetry", () => {
  const spans: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-otel-"));
  let collector: Server;
  let api: ChildProcess;
  const port = 38_000 + (process.pid % 1000);

  before(async () => {
    collector = await startCollector(spans);
    const { port: collectorPort } = collector.address() as { port: number };
    api = spawn(process.execPath, ["--import", "tsx", MAIN], {
      env: {
        ...process.env, PORT: String(port), DRUMBEAT_DATA_DIR: dataDir, DRUMBEAT_AUTH: "off", LOG_LEVEL: "warn", CLICKHOUSE_URL: "",
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none", OTEL_BSP_SCHEDULE_DELAY: "100",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    for (let i = 0; i < 450 && !(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  after(async () => {
    const exited = new Promise((resolve) => api.once("exit", resolve));
    api.kill("SIGTERM");
    await exited;
    collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("exports HTTP and ClickHouse spans over OTLP, and none for health checks", async () => {
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/v1/deployments`)).status, 200);
    for (let i = 0; i < 50 && !spans.some((name) => name.includes("deployments.list")); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(spans.includes("clickhouse deployments.list"), spans.join(", "));
    assert.ok(spans.some((name) => /^GET( \/api\/v1\/deployments)?$/.test(name)), spans.join(", "));
    assert.ok(!spans.some((name) => name.includes("readyz")), spans.join(", "));
  });
});
