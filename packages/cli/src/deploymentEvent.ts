import { createHash } from "node:crypto";
import type { EventIssue } from "@drumbeat/events";
import type { CiDefaults } from "./ciEnvironment.ts";
import type { GitCommit } from "./gitCommits.ts";

/** The `drumbeat deploy` flags that become fields of the event, as typed on the command line. */
export interface DeployFlags {
  status?: string;
  environment?: string;
  service?: string;
  version?: string;
  "deployment-id"?: string;
  team?: string;
  url?: string;
  actor?: string;
  kind?: string;
  "rolls-back"?: string;
  strategy?: string;
  "canary-weight"?: string;
  artifact?: string;
  "occurred-at"?: string;
}

/** Event field -> the flag that sets it, to report problems in the user's own words. */
const FLAG_OF: Record<string, string> = {
  deploymentId: "--deployment-id",
  rollsBack: "--rolls-back",
  canaryWeight: "--canary-weight",
  occurredAt: "--occurred-at",
  commits: "--commits-since",
};
const FILLED_BY_CI = new Set(["service", "version", "deploymentId"]);

/**
 * Flags first, then what the CI system says, then nothing: the event is validated
 * afterwards by the same schema the API uses, so a missing or bad value is reported there.
 */
export function buildDeploymentEvent(flags: DeployFlags, ci: CiDefaults | undefined, now: Date, commits?: GitCommit[]): Record<string, unknown> & { id: string } {
  const environment = flags.environment ?? ci?.environment;
  const weight = flags["canary-weight"];
  const event = {
    type: "deployment",
    occurredAt: flags["occurred-at"] ?? now.toISOString(),
    service: flags.service ?? ci?.service,
    environment,
    team: flags.team,
    source: ci?.source ?? "cli",
    deploymentId: flags["deployment-id"] ?? (environment ? ci?.deploymentId(environment) : undefined),
    version: flags.version ?? ci?.version,
    status: flags.status,
    artifact: flags.artifact,
    strategy: flags.strategy,
    // A number when it reads as one; otherwise the text goes on so the schema names the problem.
    canaryWeight: weight === undefined ? undefined : weight.trim() !== "" && Number.isFinite(Number(weight)) ? Number(weight) : weight,
    kind: flags.kind,
    rollsBack: flags["rolls-back"],
    commits: commits?.map((c) => ({ sha: c.sha, author: c.author, authoredAt: c.authoredAt, committedAt: c.committedAt, message: c.message })),
    url: flags.url ?? ci?.url,
    actor: flags.actor ?? ci?.actor,
  };
  const defined = Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined));
  return { ...defined, id: deploymentEventId(defined) };
}

/**
 * One id per (deployment, status, canary step), whatever the time: `occurredAt` defaults to
 * now, so a content-derived id would make a retried CI step count twice.
 */
function deploymentEventId(event: Record<string, unknown>): string {
  const key = [event.service, event.environment, event.deploymentId, event.status, event.canaryWeight ?? ""].map(String).join("\0");
  return `deployment:${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
}

/** A schema issue of the event, named by the flag that sets the field. */
export function describeIssue(issue: EventIssue, event: Record<string, unknown>): string {
  const field = issue.path.split(".")[0] ?? "";
  if (field === "") return `event: ${issue.message}`;
  const flag = FLAG_OF[field] ?? `--${field}`;
  if (event[field] === undefined) {
    const hint = FILLED_BY_CI.has(field) ? " (filled in automatically inside GitHub Actions and GitLab CI)" : "";
    return `${field}: missing, give ${flag}${hint}`;
  }
  return `${field} (${flag}): ${issue.message}`;
}
