import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { startBuiltWeb, WEB_DIR, type RunningWeb } from "./nextServer.ts";

/** Debian's Chromium, headless, with nothing reaching out to the internet (never Playwright's download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** Collects what a page logs as an error, so a step can require a clean console. */
export function consoleErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/**
 * A browser step as a test: fails on console errors, and keeps a screenshot of the page it
 * ends on in apps/web/test-results/screens/ to look at.
 */
export function browserStep(page: () => Page, errors: () => string[]) {
  return (name: string, body: () => Promise<void>) =>
    test(name, async () => {
      errors().length = 0;
      try {
        await body();
        if (errors().length > 0) throw new Error(`the page logged errors: ${errors().join("; ")}`);
      } finally {
        const dir = join(WEB_DIR, "test-results", "screens");
        mkdirSync(dir, { recursive: true });
        await page()?.screenshot({ path: join(dir, `${name.replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => {});
      }
    });
}

export interface OpenDashboard {
  web: RunningWeb;
  page: Page;
  /** What the page logged as errors (see consoleErrorsOf). */
  errors: string[];
  close(): Promise<void>;
}

/**
 * The built dashboard over the API at `apiUrl`, and one Chromium page (1,280 x 900 unless
 * `context` says otherwise) whose console errors are collected.
 */
export async function openDashboard(apiUrl: string, context: BrowserContextOptions = {}): Promise<OpenDashboard> {
  const web = await startBuiltWeb(apiUrl);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, ...context })).newPage();
    const opened = browser;
    return { web, page, errors: consoleErrorsOf(page), close: async () => { await opened.close(); await web.stop(); } };
  } catch (error) {
    await browser?.close();
    await web.stop();
    throw error;
  }
}
