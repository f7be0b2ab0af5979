import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { startTestApi, type TestApi } from "../../api/test/helpers.ts";
import { startBuiltWeb, WEB_DIR, type RunningWeb } from "./nextServer.ts";
import { DeploymentPage } from "./pages/DeploymentPage.ts";
import { DeploymentsPage } from "./pages/DeploymentsPage.ts";

const SERVICES = [
  { service: "checkout", team: "payments", environment: "production" },
  { service: "search", team: "discovery", environment: "staging" },
  { service: "inventory", team: "fulfilment", environment: "production" },
];
const COUNT = 28; // one more page than the dashboard's 25, so "load more" has something to fetch
const base = Date.parse("2026-03-02T09:00:00.000Z");
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

/** Deployment i starts at minute 10·i and succeeds 3 minutes later: the higher i, the newer. */
function deployments() {
  return Array.from({ length: COUNT }, (_, i) => {
    const scope = SERVICES[i % SERVICES.length]!;
    const common = { type: "deployment", ...scope, deploymentId: `dep-${String(i).padStart(2, "0")}`, version: `v1.${i}.0`, actor: "ci-bot" };
    const commits = i === COUNT - 1
      ? [
          { sha: "a1b2c3d4e5f6a7b8c9d0", authoredAt: at(10 * i - 30), author: "Ana Costa", message: "Fix rounding in cart totals\n\nDetails." },
          { sha: "0f9e8d7c6b5a49382716", authoredAt: at(10 * i - 60), author: "Ben Okafor", message: "Add retry to payment capture" },
        ]
      : undefined;
    return [
      { ...common, occurredAt: at(10 * i), status: "started", ...(commits ? { commits } : {}) },
      { ...common, occurredAt: at(10 * i + 3), status: i === 25 ? "failed" : "succeeded" },
    ];
  }).flat();
}
const newestFirst = Array.from({ length: COUNT }, (_, i) => `dep-${String(COUNT - 1 - i).padStart(2, "0")}`);

describe("dashboard in a real browser", () => {
  let api: TestApi;
  let apiRunning = false;
  let web: RunningWeb;
  let browser: Browser;
  let page: Page;

  before(async () => {
    api = await startTestApi("web");
    apiRunning = true;
    const posted = await api.call("/api/v1/events", { method: "POST", json: deployments() });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    web = await startBuiltWeb(api.url);
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
    if (apiRunning) await api.dispose();
  });

  /** Runs a browser step; on failure keeps a screenshot in apps/web/test-results/. */
  const step = (name: string, body: () => Promise<void>) =>
    test(name, async () => {
      try {
        await body();
      } catch (error) {
        const dir = join(WEB_DIR, "test-results");
        mkdirSync(dir, { recursive: true });
        await page?.screenshot({ path: join(dir, `${name.replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => {});
        throw error;
      }
    });

  step("lists deployments newest first and loads more through the cursor", async () => {
    const list = new DeploymentsPage(page, web.url);
    await list.open();
    assert.deepEqual(await list.deploymentIds(), newestFirst.slice(0, 25));
    assert.equal(await list.hasLoadMore(), true);
    await list.loadMore();
    assert.deepEqual(await list.deploymentIds(), newestFirst);
    assert.equal(await list.hasLoadMore(), false);
    assert.match(await list.shownCountText(), /28 deployments shown · end of list/);
  });

  step("filters narrow the list, and a filter matching nothing shows the empty state", async () => {
    const list = new DeploymentsPage(page, web.url);
    await list.open();
    assert.deepEqual(await list.filterOptions("service"), ["checkout", "inventory", "search"]);
    await list.filterBy("service", "search");
    const searchIds = newestFirst.filter((id) => Number(id.slice(4)) % 3 === 1);
    assert.deepEqual(await list.deploymentIds(), searchIds);

    await list.open();
    await list.filterBy("status", "failed");
    assert.deepEqual(await list.deploymentIds(), ["dep-25"]);

    await list.open("team=payments&environment=staging");
    assert.match(await list.emptyStateText(), /No deployments match these filters/);
  });

  step("a deployment's page shows its lifecycle and commits", async () => {
    const list = new DeploymentsPage(page, web.url);
    await list.open();
    await list.openDeployment("dep-27");
    const detail = new DeploymentPage(page);
    assert.match(await detail.heading(), /checkout\s*→\s*production/);
    assert.equal(await detail.currentStatus(), "succeeded");
    assert.deepEqual(await detail.lifecycle(), ["started", "succeeded"]);
    assert.deepEqual(await detail.commitMessages(), ["Fix rounding in cart totals", "Add retry to payment capture"]);
    assert.deepEqual(await detail.commitShas(), ["a1b2c3d", "0f9e8d7"]);
  });

  step("says so when the API is unreachable", async () => {
    apiRunning = false;
    await api.dispose();
    const list = new DeploymentsPage(page, web.url);
    await list.open();
    assert.match(await list.errorStateText(), /Can’t reach the Drumbeat API/);
    // Every page says it in place, under its own heading where it has one before its data.
    const pages: [string, string | null][] = [
      ["/", "Overview"], ["/deployments/dep-27", null], ["/usecases", "Use cases"],
      ["/usecases/checkout?service=checkout&environment=production", null], ["/failures", "Change failures"],
      ["/lead-times", "Slowest changes"], ["/incidents", "Incidents"], ["/insights", "Release insights"],
    ];
    for (const [path, heading] of pages) {
      await page.goto(web.url + path);
      assert.match(await page.getByTestId("error-state").textContent() ?? "", /Can’t reach the Drumbeat API/, path);
      assert.deepEqual(await page.locator("main h1").allTextContents(), heading === null ? [] : [heading], path);
    }
  });
});
