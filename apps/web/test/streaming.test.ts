import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe } from "node:test";
import { startTestApi, type TestApi } from "../../api/test/helpers.ts";
import { figureValue, formatFigure } from "../lib/figures.ts";
import type { DoraSummary } from "../lib/types.ts";
import { browserStep, openDashboard, type OpenDashboard } from "./browser.ts";

/** A proxy to the API that holds every /api/v1/dora* request until `release`, as a slow read of a large history would. */
async function doraHoldingProxy(apiUrl: string): Promise<{ server: Server; release: () => void }> {
  const api = new URL(apiUrl);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((incoming, outgoing) => {
    const forward = () => incoming.pipe(request(
      { host: api.hostname, port: api.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    ).on("error", () => outgoing.destroy()));
    if (incoming.url?.startsWith("/api/v1/dora")) void released.then(forward);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { server, release };
}

describe("the overview streams its figures in without moving the page", () => {
  let api: TestApi;
  let proxy: { server: Server; release: () => void };
  let dashboard: OpenDashboard;

  before(async () => {
    api = await startTestApi("streaming");
    const deployment = (n: number) => ({
      type: "deployment", deploymentId: `checkout-${n}`, service: "checkout", environment: "production", version: `v${n}`,
      occurredAt: `2026-03-${String(2 + n).padStart(2, "0")}T10:00:00.000Z`, status: "succeeded",
      commits: [{ sha: `abc${n}def0000`, authoredAt: `2026-03-${String(1 + n).padStart(2, "0")}T10:00:00.000Z` }],
    });
    const posted = await api.call("/api/v1/events", { method: "POST", json: [1, 2, 3, 4, 5].map(deployment) });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    proxy = await doraHoldingProxy(api.url);
    dashboard = await openDashboard(`http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`);
  });

  after(async () => {
    await dashboard?.close();
    proxy?.release();
    proxy?.server.close();
    await api?.dispose();
  });

  const step = browserStep(() => dashboard.page, () => dashboard.errors);

  step("the frame and the boxes of the figures show first, then the figures fill them in place", async () => {
    const { page, web } = dashboard;
    // The DORA answers are held: the frame and the figures' boxes must show without them.
    await page.goto(`${web.url}/?from=2026-03-01&to=2026-03-31`, { waitUntil: "commit" });
    await page.locator("[data-testid=figures-pending]").waitFor({ timeout: 30_000 });
    assert.equal(await page.locator("h1").innerText(), "Overview");
    assert.deepEqual(await page.locator("[data-testid=tile-value]").allInnerTexts(), ["…", "…", "…", "…", "…"]);
    await page.locator("[data-testid=groups-pending]").waitFor();

    proxy.release();
    await page.locator("[data-testid=figures-pending]").waitFor({ state: "detached" });
    await page.locator("[data-testid=group-row]").first().waitFor();
    const summary = (await api.call("/api/v1/dora?from=2026-03-01T00:00:00.000Z&to=2026-04-01T00:00:00.000Z")).body as DoraSummary;
    assert.equal(summary.deploymentFrequency.count, 5);
    assert.equal(await page.locator("[data-testid=tile-deploymentFrequency] [data-testid=tile-value]").innerText(),
      formatFigure("deploymentFrequency", figureValue(summary, "deploymentFrequency")));
    // Layout shifts the page made while loading (none counts from input): the figures took the boxes' place.
    const shift = await page.evaluate(() => new Promise<number>((resolve) => {
      new PerformanceObserver((list) => resolve(list.getEntries().reduce((sum, entry) => sum + (entry as unknown as { value: number }).value, 0)))
        .observe({ type: "layout-shift", buffered: true });
      setTimeout(() => resolve(0), 500); // no entry at all: nothing moved
    }));
    assert.ok(shift < 0.01, `cumulative layout shift ${shift}`);
  });
});
