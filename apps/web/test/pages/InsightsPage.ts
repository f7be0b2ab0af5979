import type { Page } from "playwright-core";

export interface ShownCell { day: number; hour: number; total: number; failed: number; shade: string }

/** Release insights (/insights), as a manager reads and drives it. */
export class InsightsPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(query = "") {
    await this.page.goto(`${this.baseUrl}/insights${query ? `?${query}` : ""}`);
    await this.page.waitForSelector("[data-testid=strategies-section]");
  }

  /** The [from, to) the page asked the API for. */
  async range(): Promise<{ from: string; to: string }> {
    const range = this.page.locator("[data-testid=range]");
    return { from: (await range.getAttribute("data-from"))!, to: (await range.getAttribute("data-to"))! };
  }

  verdict() {
    return this.page.locator("[data-testid=batch-verdict]").innerText();
  }

  /** Each bucket's row: [bucket, failed, total] as shown. */
  async bucketRows(): Promise<[string, number, number][]> {
    return this.page.locator("[data-testid=batch-row]").evaluateAll((rows) => rows.map((row) => [
      row.getAttribute("data-bucket")!,
      Number(row.querySelector("[data-testid=batch-failed]")!.textContent),
      Number(row.querySelector("[data-testid=batch-total]")!.textContent),
    ]));
  }

  /** The counts drawn under each bar. */
  async barCounts(): Promise<Record<string, string>> {
    return Object.fromEntries(await this.page.locator("[data-testid=batch-bar]").evaluateAll((bars) =>
      bars.map((bar) => [bar.getAttribute("data-bucket")!, bar.querySelector("[data-testid=batch-count]")!.textContent!])));
  }

  /** The heatmap's 168 cells as shown: the count written in the cell, and its shade. */
  async cells(): Promise<ShownCell[]> {
    return this.page.locator("[data-testid=heat-cell]").evaluateAll((tds) => tds.map((td) => ({
      day: Number(td.getAttribute("data-day")),
      hour: Number(td.getAttribute("data-hour")),
      total: Number(td.querySelector("[aria-hidden]")!.textContent!.replace("·", "0")),
      failed: Number(td.getAttribute("data-failed")),
      shade: [...td.classList].find((name) => name.startsWith("heat-"))!.slice("heat-".length),
    })));
  }

  cellLabel(day: number, hour: number) {
    return this.page.locator(`[data-testid=heat-cell][data-day="${day}"][data-hour="${hour}"] .sr-only`).textContent();
  }

  heatmapZone() {
    return this.page.locator("[data-testid=heatmap]").getAttribute("data-time-zone");
  }

  /** Picks a time zone and waits for the heatmap drawn in it. */
  async pickTimeZone(zone: string) {
    await this.page.locator("[data-testid=time-zone]").selectOption(zone);
    await this.waitForZone(zone);
  }

  async waitForZone(zone: string) {
    await this.page.waitForURL((url) => url.searchParams.get("timeZone") === zone, { waitUntil: "commit" });
    await this.page.waitForSelector(`[data-testid=heatmap][data-time-zone="${zone}"]`);
  }

  /** Picks a scope filter and waits for the page of the new URL. */
  async filterBy(filter: "service" | "team" | "environment", value: string) {
    await this.page.locator(`[data-testid=filter-${filter}]`).selectOption(value);
    await this.page.waitForURL((url) => url.searchParams.get(filter) === value, { waitUntil: "commit" });
    await this.page.waitForFunction(
      ({ filter, value }) => (document.querySelector(`[data-testid=filter-${filter}]`) as HTMLSelectElement | null)?.value === value
        && document.querySelector("[data-testid=strategies-section]") !== null,
      { filter, value },
    );
  }

  async documentOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  }
}
