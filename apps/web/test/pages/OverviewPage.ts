import type { Page } from "playwright-core";

/** The overview (/), as a manager sees and drives it. */
export class OverviewPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(query = "") {
    await this.page.goto(`${this.baseUrl}/${query ? `?${query}` : ""}`);
    await this.page.waitForSelector("[data-testid=tile-changeFailureRate]");
  }

  /** Each tile's shown value, level and change, by figure. */
  async tiles(): Promise<Record<string, { value: string; level: string | null; change: string | null }>> {
    return this.page.locator("[data-testid^=tile-]").filter({ has: this.page.locator("[data-testid=tile-value]") }).evaluateAll((tiles) =>
      Object.fromEntries(tiles.map((tile) => [
        tile.getAttribute("data-testid")!.slice("tile-".length),
        {
          value: tile.querySelector("[data-testid=tile-value]")?.textContent ?? "",
          level: tile.querySelector("[data-testid=level]")?.getAttribute("data-level") ?? null,
          change: tile.querySelector("[data-testid=tile-change]")?.textContent ?? null,
        },
      ])));
  }

  async levelTooltip(figure: string): Promise<string | null> {
    return this.page.locator(`[data-testid=tile-${figure}] [data-testid=level]`).getAttribute("title");
  }

  /** The [from, to) the page asked the API for. */
  async range(): Promise<{ from: string; to: string }> {
    const range = this.page.locator("[data-testid=range]");
    return { from: (await range.getAttribute("data-from"))!, to: (await range.getAttribute("data-to"))! };
  }

  /** Picks a filter and waits for the page of the new URL. */
  async filterBy(filter: "service" | "team" | "environment" | "range", value: string) {
    const before = this.page.url();
    await this.page.locator(`[data-testid=filter-${filter}]`).selectOption(value);
    // A soft navigation: no load event, so wait for the URL, then for the page rendered for it.
    await this.page.waitForURL((url) => url.toString() !== before && url.searchParams.get(filter) === value, { waitUntil: "commit" });
    await this.page.waitForFunction(
      ({ filter, value }) => (document.querySelector(`[data-testid=filter-${filter}]`) as HTMLSelectElement | null)?.value === value
        && document.querySelector("[data-testid=group-table]") !== null,
      { filter, value },
    );
  }

  async groupKeys(): Promise<string[]> {
    return this.page.locator("[data-testid=group-row]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-key") ?? ""));
  }

  async sortBy(column: string) {
    await this.page.locator(`[data-testid=sort-${column}]`).click();
  }

  async openDrillDown(figure: string, path: string) {
    await this.page.locator(`[data-testid=tile-${figure}] a`).click();
    await this.page.waitForURL((url) => url.pathname === path, { waitUntil: "commit" });
    await this.page.waitForSelector("[data-testid=failures-table], [data-testid=lead-times-table], [data-testid=empty-state]");
  }
}
