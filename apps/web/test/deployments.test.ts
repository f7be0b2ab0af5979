import assert from "node:assert/strict";
import { after, before, describe } from "node:test";
import type { Page } from "playwright-core";
import { startTestApi, type TestApi } from "../../api/test/helpers.ts";
import { browserStep, openDashboard, type OpenDashboard } from "./browser.ts";
import type { RunningWeb } from "./nextServer.ts";

/**
 * checkout in production over the last six hours (the timeline's window ends now): errors
 * per minute and a p95 latency; five deployments, one of each outcome, and one incident.
 */
const start = Math.floor(Date.now() / 60_000) * 60_000 - 6 * 3_600_000;
const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
const checkout = { service: "checkout", environment: "production", team: "payments" };

function history() {
  const deploy = (id: string, minute: number, end: "succeeded" | "failed", extra: Record<string, unknown> = {}) => [
    { type: "deployment", ...checkout, deploymentId: id, version: `v-${id}`, occurredAt: at(minute), status: "started", actor: "ci-bot", ...extra },
    { type: "deployment", ...checkout, deploymentId: id, version: `v-${id}`, occurredAt: at(minute + 2), status: end },
  ];
  return [
    ...deploy("ok", 60, "succeeded", {
      strategy: "canary", canaryWeight: 10,
      commits: [{ sha: "aaaa1111", authoredAt: at(-60), author: "ana" }, { sha: "bbbb2222", authoredAt: at(30), author: "ben" }],
    }),
    { type: "deployment", ...checkout, deploymentId: "ok", version: "v-ok", occurredAt: at(61), status: "started", strategy: "canary", canaryWeight: 50 },
    ...deploy("worse", 180, "succeeded", { commits: [{ sha: "cccc3333", authoredAt: at(170), author: "zoe" }] }),
    ...deploy("broken", 230, "failed"),
    ...deploy("undone", 260, "succeeded"),
    { type: "deployment", ...checkout, deploymentId: "undo", version: "v-ok", kind: "rollback", rollsBack: "undone", occurredAt: at(290), status: "succeeded" },
    { type: "incident", ...checkout, incidentId: "INC-1", title: "Checkout errors", severity: "sev2", causedBy: "worse", status: "opened", occurredAt: at(190) },
    { type: "incident", ...checkout, incidentId: "INC-1", title: "Checkout errors", severity: "sev2", causedBy: "worse", status: "resolved", occurredAt: at(215) },
    { type: "deployment", service: "search", environment: "staging", deploymentId: "s-1", version: "v1", occurredAt: at(100), status: "succeeded" },
  ];
}

/** Errors about 1 a minute until "worse" ships at minute 180, then about 3; latency flat. */
function metrics() {
  return Array.from({ length: 340 }, (_, minute) => [
    { service: "checkout", environment: "production", metric: "http.server.errors", at: at(minute), value: (minute < 183 ? 1 : 3) + (minute % 3) * 0.1 },
    { service: "checkout", environment: "production", metric: "a.latency.p95", at: at(minute), value: 120 + (minute % 5) },
  ]).flat();
}

describe("deployments timeline and table in a real browser", () => {
  let api: TestApi;
  let web: RunningWeb;
  let dashboard: OpenDashboard;
  let page: Page;
  let errors: string[] = [];

  before(async () => {
    api = await startTestApi("deployments_web");
    const events = await api.call("/api/v1/events", { method: "POST", json: history() });
    assert.equal(events.status, 202, JSON.stringify(events.body));
    const points = await api.call("/api/v1/metrics/points", { method: "POST", json: metrics() });
    assert.equal(points.status, 202, JSON.stringify(points.body));
    // the impact refresher judges the deployments a few seconds after their points arrive
    const deadline = Date.now() + 60_000;
    while (true) {
      const list = await api.call("/api/v1/deployments?service=checkout");
      if (list.body.deployments.find((d: any) => d.deploymentId === "worse")?.verdict === "regressed") break;
      if (Date.now() > deadline) throw new Error(`no regressed verdict for "worse": ${JSON.stringify(list.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    dashboard = await openDashboard(api.url);
    ({ web, page, errors } = dashboard);
  });

  after(async () => {
    await dashboard?.close();
    await api?.dispose();
  });

  const step = browserStep(() => page, () => errors);
  const legend = () => page.locator("[data-testid=timeline-legend] li").evaluateAll((items) =>
    Object.fromEntries(items.map((item) => [item.getAttribute("data-outcome"), Number(item.getAttribute("data-count"))])));

  step("deployments timeline: the error metric by default, a marker per deployment colored by outcome, the incident as a band", async () => {
    await page.goto(`${web.url}/deployments?service=checkout&window=24h`);
    const plot = page.locator("[data-testid=timeline-plot]");
    assert.equal(await plot.getAttribute("data-metric"), "http.server.errors", "the error metric, though another sorts first");
    assert.ok(Number(await plot.getAttribute("data-points")) >= 60, "five-minute points over six hours");
    assert.deepEqual(await legend(), { succeeded: 2, regressed: 1, rolled_back: 1, failed: 1, in_progress: 0, incident: 1 });
    await page.waitForSelector(".recharts-line-curve");
    for (const [outcome, count] of [["succeeded", 2], ["regressed", 1], ["rolled_back", 1], ["failed", 1]] as const) {
      assert.equal(await page.locator(`.recharts-reference-line.marker-${outcome}`).count(), count, `${outcome} markers drawn`);
    }
    assert.equal(await page.locator(".recharts-reference-line").count(), 5);
    assert.equal(await page.locator(".recharts-reference-area.incident-band").count(), 1);
  });

  step("deployments timeline in the dark theme", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${web.url}/deployments?service=checkout&window=24h`);
    await page.waitForSelector(".recharts-line-curve");
    assert.equal(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), true);
  });

  step("picking another metric or window changes the URL and the chart", async () => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(`${web.url}/deployments?service=checkout&window=24h`);
    await page.locator("[data-testid=filter-metric]").selectOption("a.latency.p95");
    await page.waitForURL((url) => url.searchParams.get("metric") === "a.latency.p95");
    assert.equal(await page.locator("[data-testid=timeline-plot]").getAttribute("data-metric"), "a.latency.p95");
    await page.locator("[data-testid=filter-window]").selectOption("7d");
    await page.waitForURL((url) => url.searchParams.get("window") === "7d" && url.searchParams.get("metric") === "a.latency.p95");
    assert.equal(await page.locator("[data-testid=timeline-plot]").getAttribute("data-metric"), "a.latency.p95");
  });

  step("the table shows strategy and canary steps, lead time, verdict and authors", async () => {
    await page.goto(`${web.url}/deployments?service=checkout`);
    const row = (id: string) => page.locator(`[data-testid=deployments-table] tr[data-deployment-id="${id}"]`);
    assert.equal(await row("ok").locator("[data-testid=strategy]").getAttribute("data-canary-steps"), "2");
    assert.match(await row("ok").locator("[data-testid=strategy]").innerText(), /canary\s+2 canary steps/);
    // oldest commit authored at minute −60, succeeded at minute 62: 122 minutes
    assert.equal(await row("ok").locator("[data-testid=lead-time]").getAttribute("data-seconds"), String(122 * 60));
    assert.equal(await row("ok").locator("[data-testid=lead-time]").innerText(), "2.0 h");
    assert.match(await row("ok").locator("[data-testid=authors]").innerText(), /ana, ben\s+deployed by ci-bot/);
    assert.equal(await row("worse").locator("[data-testid=verdict]").getAttribute("data-verdict"), "regressed");
    assert.equal(await row("broken").locator("[data-testid=lead-time]").getAttribute("data-seconds"), "");
  });

  step("a service without metrics gets an honest empty timeline with the line that sends one", async () => {
    await page.goto(`${web.url}/deployments?service=search`);
    const empty = await page.locator("[data-testid=timeline-empty]").innerText();
    assert.match(empty, /No metrics of search in staging yet/);
    assert.match(empty, /api\/v1\/metrics\/points/);
    assert.equal(await page.locator("[data-testid=timeline-plot]").count(), 0);
  });

  step("without a service the timeline asks for one", async () => {
    await page.goto(`${web.url}/deployments`);
    assert.match(await page.locator("[data-testid=timeline-pick-service]").innerText(), /Pick a service.*checkout, search/s);
    await page.locator("[data-testid=timeline-pick-service] a", { hasText: "checkout" }).click();
    await page.waitForSelector("[data-testid=timeline-plot]");
    assert.equal(new URL(page.url()).searchParams.get("service"), "checkout");
  });
});
