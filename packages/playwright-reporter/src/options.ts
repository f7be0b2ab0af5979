/** Options of the reporter; each falls back to an environment variable. */
export interface DrumbeatReporterOptions {
  /** The Drumbeat API (DRUMBEAT_URL). Without it the reporter stays silent and posts nothing. */
  url?: string;
  /** A token with the ingest scope (DRUMBEAT_TOKEN). */
  token?: string;
  /** The deployment under test (DRUMBEAT_DEPLOYMENT_ID) ... */
  deploymentId?: string;
  /** ... or its service, environment and version (DRUMBEAT_SERVICE, DRUMBEAT_ENVIRONMENT, DRUMBEAT_VERSION). */
  service?: string;
  environment?: string;
  version?: string;
  team?: string;
  /** The most the reporter may add to the end of a run, all retries included (default 5000 ms). */
  timeoutMs?: number;
}

export interface ResolvedOptions {
  url: string;
  token?: string;
  deploymentId?: string;
  service?: string;
  environment?: string;
  version?: string;
  team?: string;
  timeoutMs: number;
}

const set = (value: string | undefined) => (value && value.trim() !== "" ? value.trim() : undefined);

/** Options over environment; undefined when no Drumbeat URL is configured at all. */
export function resolveOptions(options: DrumbeatReporterOptions, env: NodeJS.ProcessEnv): ResolvedOptions | undefined {
  const url = set(options.url) ?? set(env.DRUMBEAT_URL);
  if (!url) return undefined;
  return {
    url: url.replace(/\/+$/, ""),
    token: set(options.token) ?? set(env.DRUMBEAT_TOKEN),
    deploymentId: set(options.deploymentId) ?? set(env.DRUMBEAT_DEPLOYMENT_ID),
    service: set(options.service) ?? set(env.DRUMBEAT_SERVICE),
    environment: set(options.environment) ?? set(env.DRUMBEAT_ENVIRONMENT),
    version: set(options.version) ?? set(env.DRUMBEAT_VERSION),
    team: set(options.team) ?? set(env.DRUMBEAT_TEAM),
    timeoutMs: options.timeoutMs ?? 5_000,
  };
}
