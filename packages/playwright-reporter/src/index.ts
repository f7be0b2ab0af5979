import { createHash, randomUUID } from "node:crypto";
import type { FullConfig, Reporter, Suite, TestCase, TestResult } from "@playwright/test/reporter";
import type { EventInput } from "@drumbeat/events";
import { resolveOptions, type DrumbeatReporterOptions, type ResolvedOptions } from "./options.ts";
import { callWithRetries } from "./post.ts";

export type { DrumbeatReporterOptions } from "./options.ts";

/** The event the API validates (type only: nothing of @drumbeat/events is loaded at run time). */
type UsecaseResult = Extract<EventInput, { type: "usecase" }>;

const STATUS: Record<TestResult["status"], UsecaseResult["status"]> = {
  passed: "pass", failed: "fail", timedOut: "fail", interrupted: "fail", skipped: "skip",
};

/**
 * Posts every Playwright test attempt as a use-case result of the deployment under test
 * (docs/usecases.md). A test's use case is its title path below the file (describe
 * blocks, then the title, joined " › "); its suite is the file. Each attempt is posted, so
 * a test that failed and passed on a retry shows as flaky in Drumbeat.
 *
 * It never fails the run or holds it up: without DRUMBEAT_URL it does nothing, and when
 * Drumbeat cannot be reached within `timeoutMs` it says so on stderr and lets the run end.
 */
export default class DrumbeatReporter implements Reporter {
  private readonly options: ResolvedOptions | undefined;
  /** Names this run in the ids, so that posting again (a retry) counts once and a new run counts anew. */
  private readonly runId = randomUUID();
  private rootDir = "";
  private readonly results: Omit<UsecaseResult, "service" | "environment" | "team" | "deploymentId" | "version" | "type" | "source">[] = [];

  constructor(options: DrumbeatReporterOptions = {}) {
    this.options = resolveOptions(options, process.env);
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, _suite: Suite): void {
    this.rootDir = config.rootDir;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (!this.options) return;
    const [, , file = "", ...path] = test.titlePath();
    const error = result.errors.map((e) => e.message ?? e.value ?? "").join("\n").replace(/\u001b\[[0-9;]*m/g, "").slice(0, 10_000);
    this.results.push({
      id: `playwright:${createHash("sha256").update(`${this.runId}\u0000${test.id}\u0000${result.retry}`).digest("hex").slice(0, 32)}`,
      occurredAt: result.startTime.toISOString(),
      usecase: path.join(" › ").slice(0, 200),
      suite: file.slice(0, 200) || this.rootDir.slice(0, 200),
      status: STATUS[result.status],
      durationMs: Math.max(0, Math.round(result.duration)),
      ...(error ? { error } : {}),
    });
  }

  async onEnd(): Promise<void> {
    const options = this.options;
    if (!options || this.results.length === 0) return;
    try {
      const target = await this.target(options);
      const events = this.results.map((r): UsecaseResult => ({ type: "usecase", source: "playwright", ...target, ...r }));
      const answer = (await callWithRetries(options, "/api/v1/events", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(events),
      })) as { accepted?: number };
      process.stderr.write(`drumbeat: posted ${answer?.accepted ?? 0} use-case results to ${options.url}\n`);
    } catch (error) {
      process.stderr.write(`drumbeat: could not post ${this.results.length} use-case results to ${options.url}: ${(error as Error).message}; the test run is not affected\n`);
    }
  }

  /** The deployment the results belong to; a bare deployment id is looked up for its service and environment. */
  private async target(options: ResolvedOptions) {
    const { deploymentId, version, team } = options;
    let { service, environment } = options;
    if (!deploymentId && !version) throw new Error("name the deployment: DRUMBEAT_DEPLOYMENT_ID, or DRUMBEAT_SERVICE, DRUMBEAT_ENVIRONMENT and DRUMBEAT_VERSION");
    if (deploymentId && (!service || !environment)) {
      const found = (await callWithRetries(options, `/api/v1/deployments/${encodeURIComponent(deploymentId)}`, {})) as { service: string; environment: string };
      ({ service, environment } = found);
    }
    if (!service || !environment) throw new Error("name the service and environment: DRUMBEAT_SERVICE and DRUMBEAT_ENVIRONMENT");
    return { service, environment, ...(team ? { team } : {}), ...(deploymentId ? { deploymentId } : {}), ...(version ? { version } : {}) };
  }
}
