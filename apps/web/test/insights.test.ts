import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import type { Page } from "playwright-core";
import { startTestApi, type TestApi } from "../../api/test/helpers.ts";
import { shadeOf } from "../lib/insights.ts";
import type { BatchInsights, PromotionInsights, ReleaseWindow, StrategyInsights } from "../lib/types.ts";
import { browserStep, openDashboard, type OpenDashboard } from "./browser.ts";
import { WEB_DIR, type RunningWeb } from "./nextServer.ts";
import { InsightsPage, type ShownCell } from "./pages/InsightsPage.ts";

/** Monday 2 March 2026, 00:00 UTC; the history runs over the two weeks that follow. */
const T0 = Date.parse("2026-03-02T00:00:00Z");
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const PINNED = "from=2026-03-02&to=2026-03-15";

const commits = (id: string, n: number) => Array.from({ length: n }, (_, i) => ({ sha: `${id}c${i}`.padEnd(8, "0"), authoredAt: at(0) }));
function deploy(service: string, team: string, id: string, hours: number, extra: Record<string, unknown> = {}) {
  return { type: "deployment", environment: "production", service, team, deploymentId: id, version: `v-${id}`, status: "succeeded", occurredAt: at(hours), ...extra };
}

/**
 * Team "big" (service shop) alternates 1-commit and 50-commit deployments every hour from
 * Monday 08:00 UTC; 8 of its 10 big ones fail. Team "small" (service cart) deploys 6 times on
 * Friday afternoon (UTC), one failing. Promotion: one artifact goes staging → production, one
 * straight to production, one rebuilt. Strategies: a canary aborted at 25%, one that completed.
 */
function history() {
  const events: unknown[] = [];
  for (let k = 0; k < 10; k++) {
    events.push(deploy("shop", "big", `s${k}`, 8 + 2 * k, { commits: commits(`s${k}`, 1) }));
    events.push(deploy("shop", "big", `l${k}`, 9 + 2 * k, { commits: commits(`l${k}`, 50), ...(k < 8 && { status: "failed" }) }));
  }
  for (let k = 0; k < 6; k++) events.push(deploy("cart", "small", `f${k}`, 4 * 24 + 13 + k / 12, { commits: commits(`f${k}`, 2), ...(k === 0 && { status: "failed" }) }));
  const env = (environment: string, id: string, hours: number, extra: Record<string, unknown>) => deploy("promo", "small", id, hours, { environment, ...extra });
  events.push(
    env("staging", "p1-stg", 50, { version: "v1", artifact: "img@sha256:a1" }),
    env("production", "p1", 52, { version: "v1", artifact: "img@sha256:a1" }),
    env("production", "p2", 54, { version: "v2", artifact: "img@sha256:b2" }),
    env("staging", "p3-stg", 56, { version: "v3", artifact: "img@sha256:c3" }),
    env("production", "p3", 58, { version: "v3", artifact: "img@sha256:c3-rebuilt", status: "failed" }),
  );
  const m = 1 / 60;
  const canary = (id: string, hours: number, weight: number, status = "started") =>
    deploy("edge", "small", id, hours, { strategy: "canary", canaryWeight: weight, status, version: `v-${id}` });
  events.push(
    canary("c1", 100, 1), canary("c1", 100 + 10 * m, 5), canary("c1", 100 + 20 * m, 25),
    deploy("edge", "small", "c1", 100 + 50 * m, { strategy: "canary", status: "rolled_back" }),
    canary("c2", 102, 1), canary("c2", 102 + 10 * m, 50), canary("c2", 102 + 20 * m, 100, "succeeded"),
  );
  return events;
}

/** Retries `check` until it passes (a soft navigation renders a moment after the URL changes). */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe("release insights in a real browser", () => {
  let api: TestApi;
  let web: RunningWeb;
  let dashboard: OpenDashboard;
  let page: Page;
  let consoleErrors: string[] = [];

  before(async () => {
    api = await startTestApi("insightsweb", { cfrIncidentWindowHours: 0 });
    const posted = await api.call("/api/v1/events", { method: "POST", json: history() });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    // The browser's zone is Kolkata (UTC+05:30): the page without a zone in its URL takes it.
    dashboard = await openDashboard(api.url, { timezoneId: "Asia/Kolkata" });
    ({ web, page, errors: consoleErrors } = dashboard);
  });

  after(async () => {
    await dashboard?.close();
    await api?.dispose();
  });

  const step = browserStep(() => page, () => consoleErrors);

  async function apiGet<T>(path: string, range: { from: string; to: string }, extra: Record<string, string> = {}): Promise<T> {
    const answer = await api.call(`/api/v1/insights/${path}?${new URLSearchParams({ ...range, ...extra })}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  }

  const expectedCells = (window: ReleaseWindow): ShownCell[] => window.cells.map((cell) => ({
    day: cell.dayOfWeek, hour: cell.hour, total: cell.changeFailureRate.total, failed: cell.changeFailureRate.failed, shade: String(shadeOf(cell.changeFailureRate)),
  }));

  step("batch size: each bucket's counts and the verdict are the API's", async () => {
    const insights = new InsightsPage(page, web.url);
    await insights.open(`${PINNED}&timeZone=UTC`);
    const range = await insights.range();
    const batch = await apiGet<BatchInsights>("batch-size", range);
    const large = batch.buckets.find((bucket) => bucket.bucket === ">40")!.changeFailureRate;
    assert.deepEqual([large.failed, large.total], [8, 10]);
    assert.deepEqual(await insights.bucketRows(), batch.buckets.map((b) => [b.bucket, b.changeFailureRate.failed, b.changeFailureRate.total]));
    assert.equal((await insights.barCounts())[">40"], "8 of 10 failed");
    assert.equal(await insights.verdict(), batch.verdict.sentence);
    assert.equal(batch.verdict.verdict, "bigger_fail_more");
    // Per team: "big" alone shows it, "small" has too little data.
    const byTeam = await apiGet<BatchInsights>("batch-size", range, { groupBy: "team" });
    const shown = await page.locator("[data-testid=team-verdict]").evaluateAll((rows) =>
      rows.map((row) => [row.getAttribute("data-team"), row.getAttribute("data-verdict"), row.querySelector("[data-testid=team-sentence]")!.textContent]));
    assert.deepEqual(shown, byTeam.groups!.map((g) => [g.key, g.verdict.verdict, g.verdict.sentence]));
    assert.deepEqual(shown.map(([team, verdict]) => [team, verdict]), [["big", "bigger_fail_more"], ["small", "too_little_data"]]);
  });

  step("release window: every cell's count and shade are the API's, an empty or tiny cell is not painted safe", async () => {
    const insights = new InsightsPage(page, web.url);
    await insights.open(`${PINNED}&timeZone=UTC`);
    const window = await apiGet<ReleaseWindow>("release-window", await insights.range(), { timeZone: "UTC" });
    const cells = await insights.cells();
    assert.equal(cells.length, 168);
    assert.deepEqual(cells, expectedCells(window));
    // Friday 13:00 UTC: cart's six deployments (one failed), enough to be shaded by rate.
    assert.deepEqual(cells.find((c) => c.day === 5 && c.hour === 13), { day: 5, hour: 13, total: 6, failed: 1, shade: "2" });
    assert.equal(cells.find((c) => c.day === 7 && c.hour === 3)!.shade, "none");
    // Monday 08:00: one deployment, none failed: too few to judge, not green.
    assert.deepEqual(cells.find((c) => c.day === 1 && c.hour === 8), { day: 1, hour: 8, total: 1, failed: 0, shade: "few" });
    assert.match((await insights.cellLabel(1, 8))!, /^Monday 08:00–09:00: 1 deployment, 0 failed, 0% \(95% interval 0%–79%\); too few to judge$/);
    assert.equal(await page.locator("[data-testid=friday-sentence]").innerText(), window.fridayAfternoon.sentence);
  });

  step("the time zone defaults to the browser's, is kept in the URL, and moves the cells", async () => {
    const insights = new InsightsPage(page, web.url);
    await insights.open(PINNED);
    await page.waitForURL((url) => url.searchParams.has("timeZone"), { waitUntil: "commit" });
    // Chromium names Kolkata by its older alias, Asia/Calcutta: either is an IANA name.
    const browserZone = new URL(page.url()).searchParams.get("timeZone")!;
    assert.match(browserZone, /^Asia\/(Kolkata|Calcutta)$/);
    await insights.waitForZone(browserZone);
    assert.equal(await page.locator("[data-testid=time-zone]").inputValue(), browserZone);
    const range = await insights.range();
    assert.deepEqual(await insights.cells(), expectedCells(await apiGet<ReleaseWindow>("release-window", range, { timeZone: browserZone })));
    // 13:00 UTC on Friday is 18:30 in Kolkata.
    assert.equal((await insights.cells()).find((c) => c.day === 5 && c.hour === 18)!.total, 6);

    await insights.pickTimeZone("America/New_York");
    const url = new URL(page.url());
    assert.deepEqual([url.searchParams.get("from"), url.searchParams.get("to")], ["2026-03-02", "2026-03-15"]);
    const newYork = await apiGet<ReleaseWindow>("release-window", range, { timeZone: "America/New_York" });
    await eventually(async () => assert.deepEqual(await insights.cells(), expectedCells(newYork)));
    assert.equal((await insights.cells()).find((c) => c.day === 5 && c.hour === 8)!.total, 6);
  });

  step("a scope filter keeps the zone and narrows every view", async () => {
    const insights = new InsightsPage(page, web.url);
    await insights.open(`${PINNED}&timeZone=Europe/Paris`);
    const range = await insights.range();
    await insights.filterBy("team", "small");
    assert.equal(new URL(page.url()).searchParams.get("timeZone"), "Europe/Paris");
    const batch = await apiGet<BatchInsights>("batch-size", range, { team: "small" });
    await eventually(async () => assert.deepEqual(
      await insights.bucketRows(), batch.buckets.map((b) => [b.bucket, b.changeFailureRate.failed, b.changeFailureRate.total]),
    ));
    assert.equal(await insights.verdict(), batch.verdict.sentence);
    assert.equal(batch.verdict.verdict, "too_little_data");
    const window = await apiGet<ReleaseWindow>("release-window", range, { team: "small", timeZone: "Europe/Paris" });
    assert.deepEqual(await insights.cells(), expectedCells(window));
  });

  step("build once, promote: the services' shares and the flagged deployments, each linking to its page", async () => {
    const insights = new InsightsPage(page, web.url);
    await insights.open(`${PINNED}&timeZone=UTC&service=promo`);
    const promotion = await apiGet<PromotionInsights>("promotion", await insights.range(), { service: "promo" });
    assert.deepEqual(promotion.flagged.map((f) => f.deploymentId), ["p3", "p2"]);
    const flagged = await page.locator("[data-testid=flagged-row]").evaluateAll((rows) =>
      rows.map((row) => [row.getAttribute("data-deployment"), row.querySelector("a")!.getAttribute("href"), row.querySelector("td:nth-child(2)")!.textContent!.trim()]));
    assert.deepEqual(promotion.paths.map((p) => [p.path, p.deployments]), [[["production"], 2], [["staging", "production"], 1]]);
    assert.deepEqual(await page.locator("[data-testid=promotion-path]").allInnerTexts(), ["straight to production", "staging → production"]);
    assert.deepEqual(flagged, [["p3", "/deployments/p3", "straight to production rebuilt failed"], ["p2", "/deployments/p2", "straight to production"]]);
    const promo = promotion.services.find((s) => s.service === "promo")!;
    assert.equal(await page.locator("[data-testid=promotion-row][data-service=promo] [data-testid=promoted-share]").innerText(), `${Math.round(promo.promotedShare! * 100)}% (${promo.promotedUnchanged})`);
    await page.locator("[data-testid=flagged-row][data-deployment=p2] a").click();
    await page.waitForURL((url) => url.pathname === "/deployments/p2");
  });

  step("strategies: the canary aborted at 25% and the exposure of failed canaries are the API's", async () => {
    const insights = new InsightsPage(page, web.url);
    await insights.open(`${PINNED}&timeZone=UTC`);
    const strategies = await apiGet<StrategyInsights>("strategies", await insights.range());
    const steps = await page.locator("[data-testid=canary-step]").evaluateAll((rows) =>
      rows.map((row) => [Number(row.getAttribute("data-weight")), Number(row.querySelector("[data-testid=aborted-here]")!.textContent)]));
    assert.deepEqual(steps, strategies.canary.steps.map((s) => [s.weight, s.abortedHere]));
    assert.deepEqual(steps.find(([weight]) => weight === 25), [25, 1]);
    assert.equal(await page.locator("[data-testid=exposure-weight]").first().innerText(), `${strategies.canary.exposure.meanLargestWeight}%`);
    const canaryRow = strategies.strategies.find((s) => s.strategy === "canary")!;
    assert.equal(await page.locator("[data-testid=strategy-table] [data-key=canary] [data-testid=strategy-failed]").innerText(), String(canaryRow.changeFailureRate.failed));
  });

  /** Each section on its own, to look at closely (the step's own screenshot is the whole page). */
  async function saveSections(theme: string) {
    const dir = join(WEB_DIR, "test-results", "screens");
    for (const section of ["batch", "window", "promotion", "strategies"]) {
      await page.locator(`[data-testid=${section}-section]`).screenshot({ path: join(dir, `insights-${section}-${theme}.png`) });
    }
  }

  step("fits 1280 px without widening the document, light", async () => {
    const insights = new InsightsPage(page, web.url);
    await page.emulateMedia({ colorScheme: "light" });
    await insights.open(`${PINNED}&timeZone=UTC`);
    assert.ok(await insights.documentOverflow() <= 0, "the document is wider than the viewport");
    await saveSections("light");
  });

  step("fits 1280 px without widening the document, dark", async () => {
    const insights = new InsightsPage(page, web.url);
    await page.emulateMedia({ colorScheme: "dark" });
    await insights.open(`${PINNED}&timeZone=UTC`);
    assert.ok(await insights.documentOverflow() <= 0, "the document is wider than the viewport");
    await saveSections("dark");
    await page.emulateMedia({ colorScheme: "light" });
  });

  step("a range without deployments says so instead of showing figures", async () => {
    const insights = new InsightsPage(page, web.url);
    await insights.open("from=2025-01-01&to=2025-01-31&timeZone=UTC");
    assert.equal(await page.locator("[data-testid=batch-empty]").count(), 1);
    assert.equal(await page.locator("[data-testid=window-empty]").count(), 1);
    assert.equal(await page.locator("[data-testid=canary-empty]").count(), 1);
    assert.equal(await page.locator("[data-testid=batch-bar]").count(), 0);
    assert.match(await insights.verdict(), /\S/);
  });
});
