import type { Page } from "playwright-core";

/** One deployment's page (/deployments/:id): summary, lifecycle, commits. */
export class DeploymentPage {
  constructor(private readonly page: Page) {}

  async heading(): Promise<string> {
    return (await this.page.locator("h1").textContent()) ?? "";
  }

  async currentStatus(): Promise<string> {
    return (await this.page.locator(".detail-badges [data-status]").getAttribute("data-status")) ?? "";
  }

  /** Statuses of the lifecycle events, oldest first. */
  async lifecycle(): Promise<string[]> {
    return this.page
      .locator("[data-testid=timeline] [data-status]")
      .evaluateAll((badges) => badges.map((badge) => badge.getAttribute("data-status") ?? ""));
  }

  /** First lines of the commit messages, as listed. */
  async commitMessages(): Promise<string[]> {
    return this.page.locator("[data-testid=commits] .commit-message").allTextContents();
  }

  async commitShas(): Promise<string[]> {
    return this.page.locator("[data-testid=commits] .sha").allTextContents();
  }
}
