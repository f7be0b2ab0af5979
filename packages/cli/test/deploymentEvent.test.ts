import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectCi, githubActionsDefaults, gitlabCiDefaults } from "../src/ciEnvironment.ts";
import { buildDeploymentEvent, describeIssue } from "../src/deploymentEvent.ts";
import { CliError } from "../src/errors.ts";
import { commitsSince, parseGitLog } from "../src/gitCommits.ts";

/** The rules of `drumbeat deploy`'s event at their edges: CI variables, flags, ids, messages, git. */
const now = new Date("2026-11-20T10:00:00Z");
const github = { GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/checkout", GITHUB_RUN_ID: "9001" };
const gitlab = { GITLAB_CI: "true", CI_PROJECT_PATH: "shop/cart", CI_PIPELINE_ID: "88" };

describe("CI variables at their edges", () => {
  it("detects a CI only when its marker is exactly true (blanks around it allowed)", () => {
    const cases: Array<[Record<string, string>, string | undefined]> = [
      [{ GITHUB_ACTIONS: "true" }, "github-actions"],
      [{ GITHUB_ACTIONS: " true " }, "github-actions"],
      [{ GITHUB_ACTIONS: "TRUE" }, undefined],
      [{ GITHUB_ACTIONS: "1" }, undefined],
      [{ GITLAB_CI: "true" }, "gitlab-ci"],
      [{ GITLAB_CI: "yes" }, undefined],
      [{ GITHUB_ACTIONS: "true", GITLAB_CI: "true" }, "github-actions"],
      [{ GITHUB_ACTIONS: "false", GITLAB_CI: "true" }, "gitlab-ci"],
    ];
    for (const [env, source] of cases) assert.equal(detectCi(env)?.source, source, JSON.stringify(env));
  });

  it("treats blank variables as unset", () => {
    const ci = githubActionsDefaults({ ...github, GITHUB_SHA: "  ", GITHUB_ACTOR: "", GITHUB_RUN_ATTEMPT: " ", GITHUB_SERVER_URL: "" })!;
    assert.deepEqual([ci.version, ci.actor], [undefined, undefined]);
    assert.equal(ci.url, "https://github.com/acme/checkout/actions/runs/9001");
    assert.equal(ci.deploymentId("production"), "gh-acme/checkout-9001-1-production");
    const gl = gitlabCiDefaults({ ...gitlab, CI_PROJECT_NAME: " ", CI_JOB_URL: "", CI_PIPELINE_URL: "", CI_ENVIRONMENT_NAME: "" })!;
    assert.deepEqual([gl.service, gl.url, gl.environment], ["cart", undefined, undefined]);
  });

  it("trims the values it keeps", () => {
    const ci = githubActionsDefaults({ ...github, GITHUB_SHA: " 3f2c9a1 \n", GITHUB_ACTOR: " octocat " })!;
    assert.deepEqual([ci.version, ci.actor], ["3f2c9a1", "octocat"]);
  });

  it("builds a run URL and a deployment id only from both the repository and the run", () => {
    for (const env of [{ GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/checkout" }, { GITHUB_ACTIONS: "true", GITHUB_RUN_ID: "9001" }]) {
      const ci = githubActionsDefaults(env)!;
      assert.deepEqual([ci.url, ci.deploymentId("production")], [undefined, undefined], JSON.stringify(env));
    }
    const ci = githubActionsDefaults({ ...github, GITHUB_RUN_ATTEMPT: "3" })!;
    assert.equal(ci.service, "checkout");
    assert.equal(ci.deploymentId("staging"), "gh-acme/checkout-9001-3-staging");
  });

  it("builds GitLab's deployment id only from both the project and the pipeline", () => {
    assert.equal(gitlabCiDefaults(gitlab)!.deploymentId("production"), "gl-shop/cart-88-production");
    assert.equal(gitlabCiDefaults({ GITLAB_CI: "true", CI_PROJECT_PATH: "shop/cart" })!.deploymentId("production"), undefined);
    assert.equal(gitlabCiDefaults({ GITLAB_CI: "true", CI_PIPELINE_ID: "88" })!.deploymentId("production"), undefined);
    assert.equal(gitlabCiDefaults({ GITLAB_CI: "true" })!.service, undefined);
  });

  it("names the GitLab service by CI_PROJECT_NAME, else by the last part of a nested project path", () => {
    assert.equal(gitlabCiDefaults({ ...gitlab, CI_PROJECT_NAME: "cart-service" })!.service, "cart-service");
    assert.equal(gitlabCiDefaults({ ...gitlab, CI_PROJECT_PATH: "shop/backend/cart" })!.service, "cart");
  });
});

describe("the deployment event's fields", () => {
  const flags = { status: "succeeded", environment: "production", service: "checkout", version: "v1", "deployment-id": "d-1" };

  it("asks the CI for a deployment id only once the environment is known", () => {
    assert.equal(buildDeploymentEvent({ status: "succeeded" }, detectCi(github), now).deploymentId, undefined);
    const gl = buildDeploymentEvent({ status: "succeeded" }, detectCi({ ...gitlab, CI_ENVIRONMENT_NAME: "staging" }), now);
    assert.deepEqual([gl.environment, gl.deploymentId], ["staging", "gl-shop/cart-88-staging"]);
  });

  it("reads --canary-weight as a number when it is one, and passes anything else on for the schema to name", () => {
    const cases: Array<[string | undefined, unknown]> = [["50", 50], ["0", 0], [" 12.5 ", 12.5], ["", ""], ["  ", "  "], ["lots", "lots"], ["1e999", "1e999"], ["NaN", "NaN"], [undefined, undefined]];
    for (const [weight, expected] of cases) {
      const event = buildDeploymentEvent({ ...flags, ...(weight === undefined ? {} : { "canary-weight": weight }) }, undefined, now);
      assert.deepEqual(event.canaryWeight, expected, String(weight));
      assert.equal("canaryWeight" in event, weight !== undefined);
    }
  });

  it("keeps each flag's value, the occurrence time given or now, and no key without a value", () => {
    const all = {
      ...flags, team: "payments", url: "https://ci.example/1", actor: "ana", kind: "hotfix", "rolls-back": "d-0", strategy: "canary", artifact: "sha256:ab",
      "occurred-at": "2026-11-19T08:00:00Z",
    };
    const { id, ...event } = buildDeploymentEvent(all, detectCi(github), now);
    assert.deepEqual(event, {
      type: "deployment", occurredAt: "2026-11-19T08:00:00Z", service: "checkout", environment: "production", team: "payments", source: "github-actions",
      deploymentId: "d-1", version: "v1", status: "succeeded", artifact: "sha256:ab", strategy: "canary", kind: "hotfix", rollsBack: "d-0",
      url: "https://ci.example/1", actor: "ana",
    });
    assert.match(id, /^deployment:[0-9a-f]{32}$/);
    const { id: _, ...bare } = buildDeploymentEvent({}, undefined, now);
    assert.deepEqual(bare, { type: "deployment", occurredAt: "2026-11-20T10:00:00.000Z", source: "cli" });
  });

  it("carries the commits' fields", () => {
    const commit = { sha: "a1b2c3d4", author: "Ada", authoredAt: "2026-11-19T16:05:00+01:00", committedAt: "2026-11-19T16:07:00+01:00", message: "fix" };
    assert.deepEqual(buildDeploymentEvent(flags, undefined, now, [commit]).commits, [commit]);
    assert.deepEqual(buildDeploymentEvent(flags, undefined, now, []).commits, []);
  });

  it("changes the id with each field that makes a deployment step distinct, and with nothing else", () => {
    const id = (changes: Record<string, string>) => buildDeploymentEvent({ ...flags, ...changes }, undefined, now).id;
    const base = id({});
    for (const [flag, value] of [["service", "web"], ["environment", "staging"], ["deployment-id", "d-2"], ["status", "failed"], ["canary-weight", "10"]]) {
      assert.notEqual(id({ [flag!]: value! }), base, flag);
    }
    for (const [flag, value] of [["version", "v2"], ["occurred-at", "2026-11-19T08:00:00Z"], ["url", "https://x.example"], ["actor", "bob"], ["team", "t"]]) {
      assert.equal(id({ [flag!]: value! }), base, flag);
    }
    // Fields are kept apart: moving a character from one to the next is another deployment.
    assert.notEqual(id({ service: "ab", environment: "c" }), id({ service: "a", environment: "bc" }));
    // No canary step and step 0 are two events.
    assert.notEqual(id({ "canary-weight": "0" }), base);
  });

  it("keeps the ids of earlier releases, so a step retried with a newer CLI still counts once", () => {
    assert.equal(buildDeploymentEvent(flags, undefined, now).id, "deployment:d3059d41423a925da38cbd7bd4dec266");
    assert.equal(buildDeploymentEvent({ ...flags, "canary-weight": "25" }, undefined, now).id, "deployment:f06571a47f85b1339629a18529fe96c3");
  });
});

describe("problems named by their flag", () => {
  const event = { status: "exploded", commits: [] };
  const cases: Array<[string, string]> = [
    ["", "event: bad"],
    ["status", "status (--status): bad"],
    ["commits.0.sha", "commits (--commits-since): bad"],
    ["canaryWeight", "canaryWeight: missing, give --canary-weight"],
    ["occurredAt", "occurredAt: missing, give --occurred-at"],
    ["rollsBack", "rollsBack: missing, give --rolls-back"],
    ["environment", "environment: missing, give --environment"],
    ["deploymentId", "deploymentId: missing, give --deployment-id (filled in automatically inside GitHub Actions and GitLab CI)"],
    ["service", "service: missing, give --service (filled in automatically inside GitHub Actions and GitLab CI)"],
    ["version", "version: missing, give --version (filled in automatically inside GitHub Actions and GitLab CI)"],
  ];
  for (const [path, line] of cases) {
    it(`${path || "(event)"}: ${line}`, () => assert.equal(describeIssue({ index: 0, path, message: "bad" }, event), line));
  }
});

describe("commits from git", () => {
  it("parses records whatever the blank lines around them, and fills fields git left out", () => {
    assert.deepEqual(parseGitLog("\n\x1e\n  \x1e"), []);
    assert.deepEqual(parseGitLog("  a1b2\x1fAda\x1e\n"), [{ sha: "a1b2", author: "Ada", authoredAt: "", committedAt: "", message: "" }]);
    assert.deepEqual(parseGitLog("a1b2\x1e"), [{ sha: "a1b2", author: "", authoredAt: "", committedAt: "", message: "" }]);
  });

  it("refuses a revision that git would read as an option, or none", async () => {
    for (const since of ["--all", "-p", "", "  "]) {
      await assert.rejects(commitsSince(since), (error: unknown) => error instanceof CliError && error.exitCode === 2 && error.message.startsWith(`--commits-since: '${since}' is not a git revision`), since);
    }
  });

  it("reads the commits after a revision with real git, and names git's complaint", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drumbeat-git-"));
    try {
      const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_DATE: "2026-11-19T17:05:00+01:00", GIT_COMMITTER_DATE: "2026-11-19T16:07:00+00:00" } }).trim();
      git("init", "-q");
      git("-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "--allow-empty", "-m", "first");
      const first = git("rev-parse", "HEAD");
      git("-c", "user.name=Bob Tab", "-c", "user.email=bob@example.com", "commit", "-q", "--allow-empty", "-m", "fix:\tthe thing");
      const second = git("rev-parse", "HEAD");
      git("-c", "user.name=Cy", "-c", "user.email=cy@example.com", "commit", "-q", "--allow-empty", "-m", "third");
      const third = git("rev-parse", "HEAD");
      const bob = { sha: second, author: "Bob Tab", authoredAt: "2026-11-19T17:05:00+01:00", committedAt: "2026-11-19T16:07:00+00:00", message: "fix:\tthe thing" };
      assert.deepEqual(await commitsSince(second, dir), [{ ...bob, sha: third, author: "Cy", message: "third" }]);
      assert.deepEqual(await commitsSince(first, dir), [{ ...bob, sha: third, author: "Cy", message: "third" }, bob]);
      assert.deepEqual(await commitsSince(third, dir), []);
      // git's own words, trimmed, not node's "Command failed: ..." around them
      await assert.rejects(commitsSince("no-such-revision", dir), (error: unknown) =>
        error instanceof CliError && error.exitCode === 2 && /^--commits-since no-such-revision: git log failed in \S+: fatal: (ambiguous argument|bad revision)[^\n]*no-such-revision/.test(error.message)
        && !error.message.includes("Command failed") && error.message === error.message.trim());
      // No git output at all (the directory is gone): the error itself.
      const gone = join(dir, "gone");
      await assert.rejects(commitsSince(first, gone), (error: unknown) =>
        error instanceof CliError && error.message.startsWith(`--commits-since ${first}: git log failed in ${gone}: `) && error.message.length > `--commits-since ${first}: git log failed in ${gone}: `.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
