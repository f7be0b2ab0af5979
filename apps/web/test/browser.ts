import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { WEB_DIR } from "./nextServer.ts";

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
