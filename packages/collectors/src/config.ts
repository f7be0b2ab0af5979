import { readFileSync } from "node:fs";
import { z } from "zod";

export const SOURCES = ["github", "gitlab", "argocd", "pagerduty", "opsgenie", "sentry", "flags", "unleash", "launchdarkly"] as const;
export const SourceName = z.enum(SOURCES);
export type SourceName = z.infer<typeof SourceName>;

const Name = z.string().trim().min(1).max(200);
/** Where a repository, or a service named in another tool, lands in Drumbeat. */
export const Target = z.strictObject({ service: Name, team: Name.optional() });
export type Target = z.infer<typeof Target>;

/**
 * The collectors' mapping configuration (docs/integrations.md): a JSON file named by
 * DRUMBEAT_COLLECTORS_CONFIG, with each source's secret overridable by
 * DRUMBEAT_<SOURCE>_SECRET. Everything is optional: unmapped names map to themselves.
 */
export const CollectorsConfig = z.strictObject({
  /** `owner/repo` (GitHub) or `group/project` (GitLab) -> service and team. */
  repositories: z.record(z.string(), Target).prefault({}),
  /** A service as another tool names it (PagerDuty service name or id, Sentry project, Argo CD app, flag project) -> service and team. */
  services: z.record(z.string(), Target).prefault({}),
  /** Source environment names -> Drumbeat environments, on top of the built-in ones (prod, prd -> production, ...). */
  environments: z.record(z.string(), Name).prefault({}),
  /** The environment of events whose tool names none (incidents, commits). */
  defaultEnvironment: Name.default("production"),
  github: z.strictObject({
    /** Workflow runs whose name matches this regular expression count as deployments (off when unset). */
    deploymentWorkflows: z.string().refine((source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    }, "not a valid regular expression").optional(),
    /** The environment such workflow runs deploy to. */
    workflowEnvironment: Name.optional(),
  }).prefault({}),
  /** The weekly digest's recipients per team (docs/digest.md); everyone's digest goes to DRUMBEAT_DIGEST_TO. */
  digest: z.strictObject({ teams: z.record(Name, z.array(z.email()).min(1)).prefault({}) }).prefault({}),
  /** Per-source webhook secret; prefer the DRUMBEAT_<SOURCE>_SECRET variables. */
  secrets: z.partialRecord(SourceName, z.string().min(1)).prefault({}),
});
export type CollectorsConfig = z.output<typeof CollectorsConfig>;
export type CollectorsConfigInput = z.input<typeof CollectorsConfig>;

export function secretEnvName(source: SourceName): string {
  return `DRUMBEAT_${source.toUpperCase()}_SECRET`;
}

/** Reads the file named by DRUMBEAT_COLLECTORS_CONFIG (if any) and applies the secret variables; throws naming the problem. */
export function loadCollectorsConfig(env: NodeJS.ProcessEnv = process.env): CollectorsConfig {
  const path = env.DRUMBEAT_COLLECTORS_CONFIG;
  let file: unknown = {};
  if (path) {
    try {
      file = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new Error(`DRUMBEAT_COLLECTORS_CONFIG: cannot read ${path}: ${(error as Error).message}`);
    }
  }
  const secrets: Partial<Record<SourceName, string>> = {};
  for (const source of SOURCES) {
    const value = env[secretEnvName(source)];
    if (value) secrets[source] = value;
  }
  const withSecrets = typeof file === "object" && file !== null
    ? { ...file, secrets: { ...(file as { secrets?: object }).secrets, ...secrets } }
    : file;
  const result = CollectorsConfig.safeParse(withSecrets);
  if (result.success) return result.data;
  const where = path ?? "the collectors configuration";
  throw new Error(`DRUMBEAT_COLLECTORS_CONFIG: ${where}: ${result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
}
