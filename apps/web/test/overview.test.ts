import assert from "node:assert/strict";
import { after, before, describe } from "node:test";
import type { Page } from "playwright-core";
import { startTestApi, type TestApi } from "../../api/test/helpers.ts";
import { FIGURE_KEYS, figureValue, formatFigure } from "../lib/figures.ts";
import type { DoraSummary } from "../lib/types.ts";
import { browserStep, openDashboard, type OpenDashboard } from "./browser.ts";
import type { RunningWeb } from "./nextServer.ts";
import { OverviewPage } from "./pages/OverviewPage.ts";

/**
 * March 2026 in production: checkout deploys four times (one fails, one is named by an
 * incident), search deploys four times without failing. Overall 2 of 8 failed, checkout
 * alone 2 of 4: a filter must change the figures.
 */
const day = (d: number, hour = 10) => `2026-03-${String(d).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00.000Z`;
function history() {
  const deploy = (service: string, team: string, n: number, d: number, status: "succeeded" | "failed") => [
    { type: "deployment", deploymentId: `${service}-${n}`, service, team, environment: "production", version: `v${n}`, occurredAt: day(d, 9), status: "started",
      commits: [{ sha: `${service.slice(0, 3)}${n}aaaaaaa`, authoredAt: day(d - 1, 9 + n), author: "ana", message: `change ${n}` }] },
    { type: "deployment", deploymentId: `${service}-${n}`, service, team, environment: "production", version: `v${n}`, occurredAt: day(d, 10), status },
  ];
  return [
    ...deploy("checkout", "payments", 1, 3, "succeeded"),
    ...deploy("checkout", "payments", 2, 9, "failed"),
    ...deploy("checkout", "payments", 3, 16, "succeeded"),
    ...deploy("checkout", "payments", 4, 23, "succeeded"),
    ...[1, 2, 3, 4].flatMap((n) => deploy("search", "discovery", n, 2 + 7 * n, "succeeded")),
    { type: "incident", incidentId: "INC-1", service: "checkout", environment: "production", status: "opened", severity: "sev2", title: "Card payments failing", causedBy: "checkout-3", occurredAt: day(16, 12) },
    { type: "incident", incidentId: "INC-1", service: "checkout", environment: "production", status: "resolved", severity: "sev2", title: "Card payments failing", causedBy: "checkout-3", occurredAt: "2026-03-16T13:30:00.000Z" },
  ];
}
const PINNED = "from=2026-03-01&to=2026-03-31";

describe("overview, drill-downs and incidents in a real browser", () => {
  let api: TestApi;
  let web: RunningWeb;
  let dashboard: OpenDashboard;
  let page: Page;
  let consoleErrors: string[] = [];

  before(async () => {
    api = await startTestApi("overview");
    const posted = await api.call("/api/v1/events", { method: "POST", json: history() });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    dashboard = await openDashboard(api.url);
    ({ web, page, errors: consoleErrors } = dashboard);
  });

  after(async () => {
    await dashboard?.close();
    await api?.dispose();
  });

  const step = browserStep(() => page, () => consoleErrors);

  async function apiSummary(range: { from: string; to: string }, filters: Record<string, string> = {}): Promise<DoraSummary> {
    const query = new URLSearchParams({ ...range, ...filters });
    const answer = await api.call(`/api/v1/dora?${query}`);
    assert.equal(answer.status, 200);
    return answer.body;
  }

  async function assertTilesMatch(overview: OverviewPage, summary: DoraSummary) {
    const tiles = await overview.tiles();
    for (const key of FIGURE_KEYS) {
      assert.equal(tiles[key]?.value, formatFigure(key, figureValue(summary, key)), `${key} tile`);
      if (key !== "reworkRate") assert.equal(tiles[key]?.level, summary[key].level ?? "", `${key} level`);
    }
  }

  step("the tiles show what /api/v1/dora answers for the same range", async () => {
    const overview = new OverviewPage(page, web.url);
    await overview.open(PINNED);
    const range = await overview.range();
    assert.deepEqual(range, { from: "2026-03-01T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z" });
    const summary = await apiSummary(range);
    assert.deepEqual([summary.changeFailureRate.failed, summary.changeFailureRate.total], [2, 8]);
    await assertTilesMatch(overview, summary);
    assert.match((await overview.levelTooltip("changeFailureRate"))!, /Elite ≤ 5\.0%.*State of DevOps/);
  });

  step("changing a filter changes the URL and the figures", async () => {
    const overview = new OverviewPage(page, web.url);
    await overview.open(PINNED);
    const before = (await overview.tiles()).changeFailureRate!.value;
    await overview.filterBy("service", "checkout");
    const url = new URL(page.url());
    assert.deepEqual([url.searchParams.get("service"), url.searchParams.get("from"), url.searchParams.get("to")], ["checkout", "2026-03-01", "2026-03-31"]);
    const summary = await apiSummary(await overview.range(), { service: "checkout" });
    assert.equal(summary.changeFailureRate.rate, 0.5);
    await assertTilesMatch(overview, summary);
    assert.notEqual((await overview.tiles()).changeFailureRate!.value, before);
  });

  step("the per-service table sorts by any key and links to each service", async () => {
    const overview = new OverviewPage(page, web.url);
    await overview.open(PINNED);
    await overview.sortBy("changeFailureRate");
    assert.deepEqual(await overview.groupKeys(), ["checkout", "search"]);
    await overview.sortBy("changeFailureRate");
    assert.deepEqual(await overview.groupKeys(), ["search", "checkout"]);
    await page.locator("[data-testid=group-row][data-key=search] a").click();
    await page.waitForURL((url) => url.searchParams.get("service") === "search");
  });

  step("the change failure tile drills down to the failures and their reasons", async () => {
    const overview = new OverviewPage(page, web.url);
    await overview.open(PINNED);
    await overview.openDrillDown("changeFailureRate", "/failures");
    assert.equal(new URL(page.url()).searchParams.get("from"), "2026-03-01");
    const rows = await page.locator("[data-testid=failure-row]").evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute("data-deployment"), [...tr.querySelectorAll(".reason")].map((tag) => tag.textContent).join(", ")]));
    assert.deepEqual(rows, [
      ["checkout-3", "named as the cause of an incident"], // one cause per incident: not also "opened soon after"
      ["checkout-2", "deployment failed"],
    ]);
    assert.match(await page.locator("[data-testid=failure-row][data-deployment=checkout-3] [data-testid=evidence]").innerText(), /INC-1: Card payments failing/);
  });

  step("incidents show their cause and time to restore", async () => {
    await page.goto(`${web.url}/incidents?${PINNED}`);
    const rows = await page.locator("[data-testid=incident-row]").evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute("data-incident"), tr.querySelector("[data-testid=time-to-restore]")?.textContent]));
    assert.deepEqual(rows, [["INC-1", "1.5 h"]]);
    assert.equal(await page.locator("[data-testid=incident-row] a[href='/deployments/checkout-3']").count(), 1);
  });

  step("a range with no deployments says how to send the first one", async () => {
    await page.goto(`${web.url}/?from=2025-01-01&to=2025-01-31`);
    assert.match(await page.locator("[data-testid=empty-state]").innerText(), /drumbeat deploy/);
    assert.equal((await new OverviewPage(page, web.url).tiles()).changeFailureRate?.value, "–");
  });

  step("the slowest changes list the commits behind the lead time", async () => {
    await page.goto(`${web.url}/lead-times?${PINNED}`);
    // checkout-2 failed, so its commit never reached production: 7 of the 8 commits count.
    assert.equal(await page.locator("[data-testid=lead-time-row]").count(), 7);
  });
});
