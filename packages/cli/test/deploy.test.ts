import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestApi, type TestApi } from "../../../apps/api/test/helpers.ts";
import { runCli } from "./cli.ts";

const github = {
  GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/checkout", GITHUB_SHA: "3f2c9a1e5b7d", GITHUB_RUN_ID: "9001",
  GITHUB_RUN_ATTEMPT: "1", GITHUB_ACTOR: "octocat", GITHUB_SERVER_URL: "https://github.com",
};
const gitlab = {
  GITLAB_CI: "true", CI_PROJECT_NAME: "cart", CI_PROJECT_PATH: "shop/cart", CI_COMMIT_SHA: "77aa01bb", CI_PIPELINE_ID: "88",
  CI_JOB_ID: "5", CI_JOB_URL: "https://gitlab.example.com/shop/cart/-/jobs/5", GITLAB_USER_LOGIN: "tanuki", CI_ENVIRONMENT_NAME: "production",
};

describe("drumbeat deploy", () => {
  let api: TestApi;
  let env: Record<string, string>;
  before(async () => {
    api = await startTestApi("clideploy");
    env = { DRUMBEAT_URL: api.url };
  });
  after(() => api.dispose());

  const deployment = async (id: string) => (await api.call(`/api/v1/deployments/${encodeURIComponent(id)}`)).body;

  it("in GitHub Actions needs only --status and --environment; a retried step counts once", async () => {
    const args = ["deploy", "--status", "succeeded", "--environment", "production"];
    const first = await runCli(args, { env: { ...env, ...github } });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^recorded deployment gh-acme\/checkout-9001-1-production succeeded in production/);
    const retry = await runCli(args, { env: { ...env, ...github } });
    assert.equal(retry.code, 0, retry.stderr);
    assert.match(retry.stdout, /^duplicate: /);

    const stored = await deployment("gh-acme/checkout-9001-1-production");
    assert.deepEqual(
      [stored.service, stored.environment, stored.version, stored.status, stored.actor, stored.source],
      ["checkout", "production", "3f2c9a1e5b7d", "succeeded", "octocat", "github-actions"],
    );
    assert.equal(stored.url, "https://github.com/acme/checkout/actions/runs/9001");
    assert.equal(stored.events.length, 1);
  });

  it("pairs `started` and `succeeded` of one run, with flags over the CI's values", async () => {
    const run = { ...env, ...github, GITHUB_RUN_ID: "9002" };
    const started = await runCli(["deploy", "--status", "started", "--environment", "staging", "--strategy", "canary", "--canary-weight", "10", "--team", "payments"], { env: run });
    assert.equal(started.code, 0, started.stderr);
    const done = await runCli(["deploy", "--status", "succeeded", "--environment", "staging", "--version", "v1.2.3", "--actor", "release-bot", "--team", "payments"], { env: run });
    assert.equal(done.code, 0, done.stderr);
    const stored = await deployment("gh-acme/checkout-9002-1-staging");
    assert.deepEqual([stored.status, stored.version, stored.actor, stored.team, stored.events.length], ["succeeded", "v1.2.3", "release-bot", "payments", 2]);
  });

  it("in GitLab CI takes the environment from CI_ENVIRONMENT_NAME; a retried job counts once", async () => {
    // `deploy --url` is the deployment's link, so the API's address is --api-url.
    const first = await runCli(["deploy", "--status", "succeeded", "--api-url", api.url], { env: gitlab });
    assert.equal(first.code, 0, first.stderr);
    const retriedJob = await runCli(["deploy", "--status", "succeeded"], { env: { ...env, ...gitlab, CI_JOB_ID: "6", CI_JOB_URL: "https://gitlab.example.com/shop/cart/-/jobs/6" } });
    assert.equal(retriedJob.code, 0, retriedJob.stderr);
    assert.match(retriedJob.stdout, /^duplicate: /);
    const stored = await deployment("gl-shop/cart-88-production");
    assert.deepEqual(
      [stored.service, stored.version, stored.actor, stored.source, stored.url, stored.events.length],
      ["cart", "77aa01bb", "tanuki", "gitlab-ci", "https://gitlab.example.com/shop/cart/-/jobs/5", 1],
    );
  });

  it("exits 2 naming the field of a bad flag value, and sends nothing", async () => {
    const bad = await runCli(["deploy", "--status", "exploded", "--environment", "production", "--deployment-id", "bad-1"], { env: { ...env, ...github } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /status \(--status\): Invalid option: expected one of/);
    assert.equal((await api.call("/api/v1/deployments/bad-1")).status, 404);

    const outsideCi = await runCli(["deploy", "--status", "succeeded", "--environment", "production"], { env });
    assert.equal(outsideCi.code, 2);
    assert.match(outsideCi.stderr, /service: missing, give --service/);
    assert.match(outsideCi.stderr, /deploymentId: missing, give --deployment-id/);

    const unknownFlag = await runCli(["deploy", "--colour", "blue"], { env });
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /--colour/);
  });

  it("exits 1 with a clear message when the API cannot be reached", async () => {
    const result = await runCli(["deploy", "--status", "succeeded", "--environment", "production"], { env: { ...github, DRUMBEAT_URL: "http://127.0.0.1:9" } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^drumbeat deploy: cannot reach the Drumbeat API at http:\/\/127\.0\.0\.1:9 \(.+\); is it running\? set DRUMBEAT_URL$/m);
  });

  it("--commits-since reads the commits from git; --dry-run prints the event and posts nothing", async () => {
    const repo = mkdtempSync(join(tmpdir(), "drumbeat-cli-git-"));
    try {
      const git = (args: string[], date: string) => execFileSync("git", ["-c", "user.name=Ada", "-c", "user.email=ada@example.com", ...args], {
        cwd: repo, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      }).toString().trim();
      git(["init", "-q"], "2026-11-18T09:00:00Z");
      for (const [n, date] of [[1, "2026-11-18T09:00:00Z"], [2, "2026-11-19T10:00:00Z"], [3, "2026-11-19T16:05:00+01:00"]] as const) {
        writeFileSync(join(repo, "file.txt"), String(n));
        git(["add", "file.txt"], date);
        git(["commit", "-q", "-m", `change ${n}`], date);
      }
      const base = git(["rev-list", "--max-parents=0", "HEAD"], "2026-11-20T00:00:00Z");
      const result = await runCli(
        ["deploy", "--status", "succeeded", "--environment", "production", "--service", "web", "--version", "v9", "--deployment-id", "dry-1", "--commits-since", base, "--dry-run"],
        { env, cwd: repo },
      );
      assert.equal(result.code, 0, result.stderr);
      const event = JSON.parse(result.stdout);
      assert.deepEqual(event.commits.map((c: any) => [c.message, c.author, c.authoredAt]), [
        ["change 3", "Ada", "2026-11-19T15:05:00.000Z"],
        ["change 2", "Ada", "2026-11-19T10:00:00.000Z"],
      ]);
      assert.equal((await api.call("/api/v1/deployments/dry-1")).status, 404);

      const badRevision = await runCli(["deploy", "--status", "succeeded", "--environment", "production", "--commits-since", "no-such-sha", "--dry-run"], { env, cwd: repo });
      assert.equal(badRevision.code, 2);
      assert.match(badRevision.stderr, /--commits-since no-such-sha: git log failed/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
