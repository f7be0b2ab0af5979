/**
 * What a CI system tells a job about itself, as defaults for a deployment event. Pure:
 * the environment variables come in as an argument, so detection is testable anywhere.
 */
export interface CiDefaults {
  source: "github-actions" | "gitlab-ci";
  service?: string;
  version?: string;
  url?: string;
  actor?: string;
  /** The CI's own name for the target environment, when it has one (GitLab environments). */
  environment?: string;
  /** Builds the deployment id once the environment is known; stable across retries of the same step. */
  deploymentId(environment: string): string | undefined;
}

type Env = Record<string, string | undefined>;

/** Empty strings count as unset: CI systems export variables they have no value for. */
function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/**
 * GitHub Actions: one deployment per workflow run attempt and environment. Re-running the
 * same step (or posting `started` and `succeeded` from different jobs of the run) keeps the id;
 * "Re-run jobs" starts a new attempt, which GitHub itself treats as a new deployment.
 */
export function githubActionsDefaults(env: Env): CiDefaults | undefined {
  if (value(env, "GITHUB_ACTIONS") !== "true") return undefined;
  const repository = value(env, "GITHUB_REPOSITORY");
  const runId = value(env, "GITHUB_RUN_ID");
  const attempt = value(env, "GITHUB_RUN_ATTEMPT") ?? "1";
  const server = value(env, "GITHUB_SERVER_URL") ?? "https://github.com";
  return {
    source: "github-actions",
    service: repository?.split("/").at(-1),
    version: value(env, "GITHUB_SHA"),
    url: repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined,
    actor: value(env, "GITHUB_ACTOR"),
    deploymentId: (environment) => (repository && runId ? `gh-${repository}-${runId}-${attempt}-${environment}` : undefined),
  };
}

/**
 * GitLab CI: one deployment per pipeline and environment. A retried job gets a new
 * CI_JOB_ID but stays in its pipeline, so the pipeline id is what keeps a retry counting once.
 */
export function gitlabCiDefaults(env: Env): CiDefaults | undefined {
  if (value(env, "GITLAB_CI") !== "true") return undefined;
  const project = value(env, "CI_PROJECT_PATH");
  const pipeline = value(env, "CI_PIPELINE_ID");
  return {
    source: "gitlab-ci",
    service: value(env, "CI_PROJECT_NAME") ?? project?.split("/").at(-1),
    version: value(env, "CI_COMMIT_SHA"),
    url: value(env, "CI_JOB_URL") ?? value(env, "CI_PIPELINE_URL"),
    actor: value(env, "GITLAB_USER_LOGIN"),
    environment: value(env, "CI_ENVIRONMENT_NAME"),
    deploymentId: (environment) => (project && pipeline ? `gl-${project}-${pipeline}-${environment}` : undefined),
  };
}

/** The CI system the process runs in, if it is one Drumbeat knows. */
export function detectCi(env: Env): CiDefaults | undefined {
  return githubActionsDefaults(env) ?? gitlabCiDefaults(env);
}
