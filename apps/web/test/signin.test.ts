import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createToken } from "@drumbeat/store";
import { startTestApi, type TestApi } from "../../api/test/helpers.ts";
import { launchChromium } from "./browser.ts";
import { startBuiltWeb, type RunningWeb } from "./nextServer.ts";

const PROXY_SECRET = "s3cret-only-the-proxy-knows-0123456789";
const DATA_PAGES = ["/", "/deployments", "/deployments/secret-deploy", "/failures", "/incidents", "/lead-times"];

describe("signing in to a dashboard whose API has auth on", () => {
  let api: TestApi;
  let web: RunningWeb;
  let proxied: RunningWeb;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const tokens: Record<string, string> = {};

  before(async () => {
    api = await startTestApi("signin", { auth: "on" });
    for (const scope of ["ingest", "read"] as const) tokens[scope] = (await createToken(api.store, `web-${scope}`, [scope])).token;
    const posted = await api.call("/api/v1/events", {
      method: "POST", token: tokens.ingest,
      json: { type: "deployment", deploymentId: "secret-deploy", service: "vault", environment: "production", version: "v1", status: "succeeded", occurredAt: new Date().toISOString() },
    });
    assert.equal(posted.status, 202);
    web = await startBuiltWeb(api.url); // no DRUMBEAT_WEB_TOKEN: only a signed-in person's token reads
    proxied = await startBuiltWeb(api.url, {
      DRUMBEAT_WEB_TRUSTED_PROXY_HEADER: "X-Forwarded-Email",
      DRUMBEAT_WEB_TRUSTED_PROXY_SECRET: PROXY_SECRET,
      DRUMBEAT_WEB_PROXY_TOKEN: tokens.read!,
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
    await proxied?.stop();
    await api?.dispose();
  });

  async function assertSignedOut(on: Page = page, baseUrl = web.url) {
    for (const path of DATA_PAGES) {
      const response = await on.goto(baseUrl + path);
      assert.equal(new URL(on.url()).pathname, "/signin", `${path} must send a signed-out person to sign in`);
      const html = (await response?.text()) ?? "";
      assert.doesNotMatch(html, /vault|secret-deploy/, `${path} leaked data`);
    }
  }

  async function signIn(token: string) {
    await page.goto(`${web.url}/signin`);
    await page.locator("[data-testid=token]").fill(token);
    await page.locator("button[type=submit]").click();
  }

  test("signed out, no page shows data", () => assertSignedOut());

  test("a refused token, or one without the read scope, does not sign in", async () => {
    await signIn("dbt_not-a-token");
    assert.match(await page.locator("[data-testid=signin-error]").innerText(), /refused/);
    await signIn(tokens.ingest!);
    assert.match(await page.locator("[data-testid=signin-error]").innerText(), /refused/);
    assert.deepEqual(await context.cookies(), []);
  });

  test("a read token signs in, kept in an httpOnly SameSite cookie, and shows the data", async () => {
    await signIn(tokens.read!);
    await page.waitForURL((url) => url.pathname === "/", { waitUntil: "commit" });
    // The overview renders (its figures may still be building in the background); the data shows on the deployment.
    await page.waitForSelector("[data-testid=tile-changeFailureRate]");
    const [cookie] = await context.cookies();
    assert.deepEqual([cookie?.httpOnly, cookie?.sameSite, cookie?.value], [true, "Strict", tokens.read]);
    assert.equal(await page.evaluate(() => document.cookie), "", "scripts must not see the token");
    await page.goto(`${web.url}/deployments/secret-deploy`);
    assert.match(await page.locator("h1").innerText(), /vault/);
  });

  test("signing out ends the session", async () => {
    await page.goto(web.url);
    await page.locator("[data-testid=signout]").click();
    await page.waitForURL((url) => url.pathname === "/signin", { waitUntil: "commit" });
    assert.deepEqual(await context.cookies(), []);
    await assertSignedOut();
  });

  /** A browser whose every request carries `headers`, as if a proxy (or someone forging one) sent them. */
  async function withHeaders(headers: Record<string, string>, body: (page: Page) => Promise<void>) {
    const forged = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: headers });
    try {
      await body(await forged.newPage());
    } finally {
      await forged.close();
    }
  }

  test("a proxy's user header is refused where no proxy is trusted, even with the right secret", () =>
    withHeaders({ "X-Forwarded-Email": "mallory@example.com", "X-Drumbeat-Proxy-Secret": PROXY_SECRET }, (forged) => assertSignedOut(forged, web.url)));

  test("where a proxy is trusted, its user header without the proxy's secret, or with a wrong one, is refused", async () => {
    await withHeaders({ "X-Forwarded-Email": "mallory@example.com" }, (forged) => assertSignedOut(forged, proxied.url));
    await withHeaders({ "X-Forwarded-Email": "mallory@example.com", "X-Drumbeat-Proxy-Secret": `${PROXY_SECRET}x` }, (forged) => assertSignedOut(forged, proxied.url));
    await withHeaders({ "X-Forwarded-Email": "", "X-Drumbeat-Proxy-Secret": PROXY_SECRET }, (forged) => assertSignedOut(forged, proxied.url));
  });

  test("the trusted proxy's user header with its secret signs in; signing out goes to the proxy's sign-out", () =>
    withHeaders({ "X-Forwarded-Email": "ana@example.com", "X-Drumbeat-Proxy-Secret": PROXY_SECRET }, async (viaProxy) => {
      await viaProxy.goto(`${proxied.url}/deployments/secret-deploy`);
      assert.match(await viaProxy.locator("h1").innerText(), /vault/);
      assert.equal(await viaProxy.locator("[data-testid=signed-in-as]").innerText(), "ana@example.com");
      await viaProxy.locator("[data-testid=signout]").click();
      await viaProxy.waitForURL((url) => url.pathname === "/oauth2/sign_out", { waitUntil: "commit" });
    }));
});
