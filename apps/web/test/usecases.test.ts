import assert from "node:assert/strict";
import { after, before, describe } from "node:test";
import type { Page } from "playwright-core";
import { startTestApi, type TestApi } from "../../api/test/helpers.ts";
import { browserStep, openDashboard, type OpenDashboard } from "./browser.ts";
import type { RunningWeb } from "./nextServer.ts";

/**
 * checkout in production: d-1 ships v1 (use cases pass), d-2 ships v2 with one commit and
 * breaks "pay with card" and triples the error rate; d-3 ships v3 and fixes it.
 */
const base = Date.parse("2026-03-10T10:00:00.000Z");
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
const scope = { service: "checkout", environment: "production", team: "payments" };
const BREAKER = "b2b2b2b2b2b2b2b2";

function history() {
  const deploy = (n: number, minute: number, commits: { sha: string; message: string }[]) => [
    { type: "deployment", ...scope, deploymentId: `d-${n}`, version: `v${n}`, occurredAt: at(minute), status: "started",
      commits: commits.map((c) => ({ ...c, author: "ben", authoredAt: at(minute - 60) })) },
    { type: "deployment", ...scope, deploymentId: `d-${n}`, version: `v${n}`, occurredAt: at(minute + 2), status: "succeeded" },
  ];
  const result = (n: number, minute: number, usecase: string, status: "pass" | "fail") =>
    ({ type: "usecase", ...scope, deploymentId: `d-${n}`, usecase, suite: "smoke", status, occurredAt: at(minute), durationMs: 900, ...(status === "fail" ? { error: "card declined: timeout" } : {}) });
  return [
    ...deploy(1, 0, [{ sha: "a1a1a1a1a1a1a1a1", message: "Add gift cards" }]),
    result(1, 5, "pay with card", "pass"), result(1, 5, "search products", "pass"),
    ...deploy(2, 60, [{ sha: BREAKER, message: "Retry card auth twice" }]),
    result(2, 65, "pay with card", "fail"), result(2, 65, "search products", "pass"),
    ...deploy(3, 180, [{ sha: "c3c3c3c3c3c3c3c3", message: "Revert card auth retry" }]),
    result(3, 185, "pay with card", "pass"), result(3, 185, "search products", "pass"),
  ];
}

/** search in production: 30 deployments with a use-case result each, a matrix wider than any page. */
function longHistory() {
  const search = { service: "search", environment: "production", team: "discovery" };
  return Array.from({ length: 30 }, (_, i) => [
    { type: "deployment", ...search, deploymentId: `s-${i}`, version: `2026.03.${String(i).padStart(2, "0")}-build${1000 + i}`, occurredAt: at(600 + 10 * i), status: "succeeded" },
    { type: "usecase", ...search, deploymentId: `s-${i}`, usecase: "find a product by name", suite: "smoke", status: i % 7 === 3 ? "fail" : "pass", occurredAt: at(602 + 10 * i), durationMs: 400 },
  ]).flat();
}

/** A canary of checkout in staging, where there are no metrics: four steps, none can be judged. */
function canaryWithoutMetrics() {
  const staging = { ...scope, environment: "staging", deploymentId: "k-1", version: "v9", strategy: "canary" };
  return [
    ...[10, 25, 50, 80].map((canaryWeight, i) => ({ type: "deployment", ...staging, occurredAt: at(300 + 5 * i), status: "started", canaryWeight })),
    { type: "deployment", ...staging, occurredAt: at(330), status: "succeeded", canaryWeight: 100 },
  ];
}

/** Errors per minute around d-2: about 1 for the half hour before it, about 3 after it. */
function errorRate() {
  return Array.from({ length: 30 }, (_, i) => [
    { ...scope, team: undefined, metric: "http.server.errors", at: at(30 + i), value: 1 + (i % 3) * 0.1 },
    { ...scope, team: undefined, metric: "http.server.errors", at: at(63 + i), value: 3 + (i % 3) * 0.1 },
  ]).flat().map(({ team: _team, ...point }) => point);
}

describe("use cases and metric impact in a real browser", () => {
  let api: TestApi;
  let web: RunningWeb;
  let dashboard: OpenDashboard;
  let page: Page;
  let errors: string[] = [];

  before(async () => {
    api = await startTestApi("usecases_web");
    assert.equal((await api.call("/api/v1/events", { method: "POST", json: [...history(), ...longHistory(), ...canaryWithoutMetrics()] })).status, 202);
    const points = await api.call("/api/v1/metrics/points", { method: "POST", json: errorRate() });
    assert.equal(points.status, 202, JSON.stringify(points.body));
    dashboard = await openDashboard(api.url);
    ({ web, page, errors } = dashboard);
  });

  after(async () => {
    await dashboard?.close();
    await api?.dispose();
  });

  const step = browserStep(() => page, () => errors);

  step("the use-case matrix shows each run, and the history names the breaking commit and the fix", async () => {
    await page.goto(`${web.url}/usecases?service=checkout&environment=production`);
    const cells = await page.locator("[data-testid=usecase-matrix] tbody tr[data-usecase='pay with card'] [data-cell]")
      .evaluateAll((spans) => spans.map((span) => span.getAttribute("data-cell")));
    assert.deepEqual(cells, ["pass", "fail", "pass"]);
    await page.locator("[data-testid=usecase-row][data-usecase='pay with card'] a").click();
    await page.waitForSelector("[data-testid=break-row]");
    const row = await page.locator("[data-testid=break-row]").innerText();
    assert.match(row, /d-2/);
    assert.match(row, /Retry card auth twice/);
    assert.match(row, /d-3/);
  });

  step("a deployment shows its commits, the use case it broke with the culprit, and its metric verdict", async () => {
    await page.goto(`${web.url}/deployments/d-2`);
    assert.match(await page.locator(".commit-message").first().innerText(), /Retry card auth twice/);
    assert.match(await page.locator("[data-testid=usecase-broke][data-usecase='pay with card']").innerText(), new RegExp(BREAKER.slice(0, 7)));
    assert.equal(await page.locator("[data-testid=impact]").getAttribute("data-verdict"), "regressed");
    assert.equal(await page.locator("[data-testid=impact-metric][data-metric='http.server.errors']").getAttribute("data-verdict"), "regressed");
    assert.match(await page.locator("[data-testid=impact-verdict]").innerText(), /made things worse/);
  });

  step("a deployment without metrics says how to send them", async () => {
    await page.goto(`${web.url}/deployments/d-1`);
    assert.match(await page.locator("main").innerText(), /Metric impact/);
    assert.notEqual(await page.locator("[data-testid=impact]").getAttribute("data-verdict"), "regressed");
  });

  step("a matrix of 30 deployments scrolls inside its card, opened at the newest, and leaves the page as wide as the window", async () => {
    await page.goto(`${web.url}/usecases?service=search&environment=production`);
    assert.equal(await page.locator("[data-testid=usecase-matrix] thead th.matrix-head").count(), 30);
    const newest = page.locator("[data-testid=usecase-matrix] thead th.matrix-head").last();
    await newest.waitFor();
    await page.waitForFunction(() => document.querySelector("[data-testid=scrolled-to-end]")!.scrollLeft > 0);
    const widths = await page.evaluate(() => {
      const scroller = document.querySelector("[data-testid=usecase-matrix]")!.parentElement!;
      return { document: document.documentElement.scrollWidth, viewport: window.innerWidth, matrix: scroller.scrollWidth, card: scroller.clientWidth, left: scroller.scrollLeft };
    });
    assert.ok(widths.document <= widths.viewport, `the page is ${widths.document} px wide in a ${widths.viewport} px window`);
    assert.ok(widths.matrix > widths.card, `the matrix (${widths.matrix} px) scrolls inside its card (${widths.card} px)`);
    assert.ok(widths.left + widths.card >= widths.matrix - 1, `opened at the right end (scrolled ${widths.left} of ${widths.matrix - widths.card} px)`);
    assert.ok(await newest.isVisible() && (await newest.boundingBox())!.x + 10 < widths.viewport, "the newest deployment is in view");
    const name = await page.locator("[data-testid=usecase-matrix] td.matrix-name").first().boundingBox();
    assert.ok(name && name.x >= 0 && name.x < 200, "the use case's name stays in view");
  });

  step("canary steps that cannot be judged read as one line", async () => {
    await page.goto(`${web.url}/deployments/k-1`);
    const steps = page.locator("[data-testid=canary-steps] li");
    assert.equal(await steps.count(), 1);
    assert.equal(await steps.first().getAttribute("data-steps"), "4");
    assert.match(await steps.first().innerText(), /steps 1–4 at 10%, 25%, 50%, 80%: cannot be judged yet/);
  });
});
