import type { Page } from "playwright-core";

type Filter = "service" | "team" | "environment" | "status";

/** The deployment list (/deployments), as a user sees and drives it. */
export class DeploymentsPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(query = "") {
    await this.page.goto(`${this.baseUrl}/deployments${query ? `?${query}` : ""}`);
    await this.page.waitForSelector("h1");
  }

  private rows() {
    return this.page.locator("[data-testid=deployments-table] tbody tr");
  }

  /** Deployment ids in the order shown. */
  async deploymentIds(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute("data-deployment-id") ?? ""));
  }

  async column(filter: Filter): Promise<string[]> {
    return this.rows().evaluateAll((rows, name) => rows.map((row) => row.getAttribute(`data-${name}`) ?? ""), filter);
  }

  async filterOptions(filter: Filter): Promise<string[]> {
    return this.page
      .locator(`[data-testid=filter-${filter}] option`)
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value).filter(Boolean));
  }

  /** Picks a filter value and waits until the list shows only matching deployments. */
  async filterBy(filter: Filter, value: string) {
    await this.page.locator(`[data-testid=filter-${filter}]`).selectOption(value);
    await this.page.waitForURL((url) => url.searchParams.get(filter) === value);
    await this.page.waitForFunction(
      ([name, wanted]) => {
        const rows = [...document.querySelectorAll("[data-testid=deployments-table] tbody tr")];
        return rows.length > 0 && rows.every((row) => row.getAttribute(`data-${name}`) === wanted);
      },
      [filter, value] as const,
    );
  }

  async loadMore() {
    const before = await this.rows().count();
    await this.page.getByRole("button", { name: "Load more" }).click();
    await this.page.waitForFunction(
      (count) => document.querySelectorAll("[data-testid=deployments-table] tbody tr").length > count,
      before,
    );
  }

  async hasLoadMore(): Promise<boolean> {
    return (await this.page.getByRole("button", { name: "Load more" }).count()) > 0;
  }

  async shownCountText(): Promise<string> {
    return (await this.page.getByTestId("shown-count").textContent()) ?? "";
  }

  async emptyStateText(): Promise<string> {
    return (await this.page.getByTestId("empty-state").textContent()) ?? "";
  }

  async errorStateText(): Promise<string> {
    return (await this.page.getByTestId("error-state").textContent()) ?? "";
  }

  async openDeployment(deploymentId: string) {
    await this.page.locator(`tr[data-deployment-id="${deploymentId}"] [data-testid=deployment-link]`).click();
    await this.page.waitForURL((url) => url.pathname === `/deployments/${encodeURIComponent(deploymentId)}`);
    await this.page.waitForSelector("[data-testid=timeline]");
  }
}
