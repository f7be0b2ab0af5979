import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { startTestApi, type TestApi } from "../../../apps/api/test/helpers.ts";

const CONFIG = fileURLToPath(new URL("./fixture/playwright.config.ts", import.meta.url));
const PLAYWRIGHT = createRequire(import.meta.url).resolve("@playwright/test/cli");
const PAGE = `<!doctype html><title>Shop</title><h1>Shop</h1><p>Total: <span data-testid="total">€42.00</span></p>`;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** Runs the fixture suite with `npx playwright test` semantics, as a real child process. */
function runPlaywright(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DRUMBEAT_|NODE_TEST_CONTEXT$)/.test(name)));
    const child = spawn(process.execPath, [PLAYWRIGHT, "test", "-c", CONFIG], { env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.resume();
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr, ms: Date.now() - started }));
  });
}

/** In front of the API: forwards the first POST of events but answers it 502, as a proxy that lost the answer would. */
function lossyProxy(target: string): Server {
  let dropped = false;
  return createServer((req, res) => {
    const upstream = request(target + req.url, { method: req.method, headers: req.headers }, (answer) => {
      const drop = !dropped && req.method === "POST";
      if (drop) {
        dropped = true;
        answer.resume();
        answer.on("end", () => res.writeHead(502).end("bad gateway"));
        return;
      }
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
}

describe("@drumbeat/playwright-reporter with a real Playwright run in Chromium", () => {
  let api: TestApi;
  let page: Server;
  let pageUrl: string;
  let proxy: Server;
  let proxyUrl: string;
  before(async () => {
    api = await startTestApi("playwright");
    page = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE));
    pageUrl = await listen(page);
    proxy = lossyProxy(api.url);
    proxyUrl = await listen(proxy);
    await api.call("/api/v1/events", { method: "POST", json: {
      type: "deployment", deploymentId: "web-7", service: "shop-web", environment: "staging", version: "abc1234", status: "succeeded",
      occurredAt: new Date().toISOString(),
    } });
  });
  after(async () => {
    page.close();
    proxy.close();
    await api.dispose();
  });

  it("posts every attempt for the deployment; a lost answer is retried and counted once", async () => {
    const run = await runPlaywright({ PAGE_URL: pageUrl, DRUMBEAT_URL: proxyUrl, DRUMBEAT_DEPLOYMENT_ID: "web-7" });
    assert.equal(run.code, 1, run.stderr); // the failing test fails the run, as without the reporter
    assert.match(run.stderr, /drumbeat: posted 0 use-case results/); // the retry found all five already stored

    const { body } = await api.call("/api/v1/usecases?service=shop-web&environment=staging");
    const byName = Object.fromEntries(body.usecases.map((u: any) => [u.usecase, u]));
    assert.deepEqual(Object.keys(byName).sort(), ["basket › pays with card", "basket › shows the total", "sign in"]);
    assert.deepEqual([byName["basket › shows the total"].status, byName["basket › shows the total"].suite], ["pass", "shop.spec.ts"]);
    const pays = byName["basket › pays with card"];
    assert.deepEqual([pays.status, pays.failingSinceFirstRun, pays.lastRun.deploymentId], ["fail", true, "web-7"]);
    assert.match(pays.lastRun.error, /Pay with card/);
    // Failed, then passed on the retry: both attempts are results, so it is flaky.
    assert.deepEqual([byName["sign in"].status, byName["sign in"].flaky], ["mixed", true]);
    const history = await api.call("/api/v1/usecases/basket%20%E2%80%BA%20pays%20with%20card/history?service=shop-web&environment=staging");
    assert.deepEqual(history.body.runs.map((r: any) => [r.fails, r.passes]), [[2, 0]]); // two attempts, each once
  });

  it("does not fail or hold up the run when Drumbeat is down, and says so on stderr", async () => {
    const closed = createServer();
    const deadUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const run = await runPlaywright({ PAGE_URL: pageUrl, DRUMBEAT_URL: deadUrl, DRUMBEAT_SERVICE: "shop-web", DRUMBEAT_ENVIRONMENT: "staging", DRUMBEAT_VERSION: "abc1234" });
    assert.equal(run.code, 1, run.stderr); // the same exit as the first run: one failing test
    assert.match(run.stderr, /drumbeat: could not post 5 use-case results to .*ECONNREFUSED.*the test run is not affected/);
  });

  it("gives up within its time budget when Drumbeat hangs", async () => {
    const hanging = createServer(() => {}); // accepts, never answers
    const hangingUrl = await listen(hanging);
    const run = await runPlaywright({ PAGE_URL: pageUrl, DRUMBEAT_URL: hangingUrl, DRUMBEAT_DEPLOYMENT_ID: "web-7", DRUMBEAT_SERVICE: "shop-web", DRUMBEAT_ENVIRONMENT: "staging", REPORTER_TIMEOUT_MS: "1000" });
    hanging.closeAllConnections();
    hanging.close();
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /no answer from .* within 1000 ms/);
  });
});
