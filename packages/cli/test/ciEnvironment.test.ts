import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch } from "@drumbeat/events";
import { detectCi, githubActionsDefaults, gitlabCiDefaults } from "../src/ciEnvironment.ts";
import { buildDeploymentEvent, describeIssue } from "../src/deploymentEvent.ts";
import { parseGitLog } from "../src/gitCommits.ts";

const github = {
  GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/checkout", GITHUB_SHA: "3f2c9a1e", GITHUB_RUN_ID: "9001",
  GITHUB_RUN_ATTEMPT: "2", GITHUB_ACTOR: "octocat", GITHUB_SERVER_URL: "https://github.example.com",
};
const gitlab = {
  GITLAB_CI: "true", CI_PROJECT_NAME: "cart", CI_PROJECT_PATH: "shop/cart", CI_COMMIT_SHA: "77aa01",
  CI_JOB_URL: "https://gitlab.example.com/shop/cart/-/jobs/5", CI_PIPELINE_URL: "https://gitlab.example.com/shop/cart/-/pipelines/88",
  GITLAB_USER_LOGIN: "tanuki", CI_PIPELINE_ID: "88", CI_JOB_ID: "5", CI_ENVIRONMENT_NAME: "production",
};
const now = new Date("2026-11-20T10:00:00Z");

describe("CI environment detection", () => {
  it("reads GitHub Actions' variables", () => {
    const ci = githubActionsDefaults(github)!;
    assert.equal(ci.source, "github-actions");
    assert.deepEqual([ci.service, ci.version, ci.actor], ["checkout", "3f2c9a1e", "octocat"]);
    assert.equal(ci.url, "https://github.example.com/acme/checkout/actions/runs/9001");
    assert.equal(ci.deploymentId("production"), "gh-acme/checkout-9001-2-production");
    assert.equal(ci.environment, undefined);
  });

  it("reads GitLab CI's variables, the job URL before the pipeline URL", () => {
    const ci = gitlabCiDefaults(gitlab)!;
    assert.equal(ci.source, "gitlab-ci");
    assert.deepEqual([ci.service, ci.version, ci.actor, ci.environment], ["cart", "77aa01", "tanuki", "production"]);
    assert.equal(ci.url, "https://gitlab.example.com/shop/cart/-/jobs/5");
    assert.equal(gitlabCiDefaults({ ...gitlab, CI_JOB_URL: "" })!.url, "https://gitlab.example.com/shop/cart/-/pipelines/88");
    // A retried job has a new CI_JOB_ID but the same pipeline: the same deployment.
    assert.equal(ci.deploymentId("production"), gitlabCiDefaults({ ...gitlab, CI_JOB_ID: "6" })!.deploymentId("production"));
  });

  it("finds nothing outside CI, and nothing from half-set variables", () => {
    assert.equal(detectCi({}), undefined);
    assert.equal(detectCi({ GITHUB_ACTIONS: "false", GITLAB_CI: "" }), undefined);
    assert.equal(detectCi(github)?.source, "github-actions");
    assert.equal(detectCi(gitlab)?.source, "gitlab-ci");
    const bare = githubActionsDefaults({ GITHUB_ACTIONS: "true" })!;
    assert.deepEqual([bare.service, bare.url, bare.deploymentId("production")], [undefined, undefined, undefined]);
  });
});

describe("the deployment event of `drumbeat deploy`", () => {
  it("takes CI defaults, and flags over them", () => {
    const fromCi = buildDeploymentEvent({ status: "succeeded", environment: "production" }, detectCi(github), now);
    const batch = parseEventBatch([fromCi]);
    assert.ok(batch.ok);
    assert.deepEqual(
      [fromCi.service, fromCi.version, fromCi.deploymentId, fromCi.source, fromCi.occurredAt],
      ["checkout", "3f2c9a1e", "gh-acme/checkout-9001-2-production", "github-actions", "2026-11-20T10:00:00.000Z"],
    );
    const overridden = buildDeploymentEvent({ status: "succeeded", environment: "staging", service: "web", version: "v2", "deployment-id": "d-1" }, detectCi(gitlab), now);
    assert.deepEqual([overridden.service, overridden.version, overridden.deploymentId, overridden.environment], ["web", "v2", "d-1", "staging"]);
  });

  it("gives a retry the same event id whatever the time, and each status and canary step its own", () => {
    const ci = detectCi(github);
    const id = (flags: Parameters<typeof buildDeploymentEvent>[0], at = now) => buildDeploymentEvent(flags, ci, at).id;
    const base = { status: "started", environment: "production" };
    assert.equal(id(base), id(base, new Date("2026-11-20T10:05:00Z")));
    assert.notEqual(id(base), id({ ...base, status: "succeeded" }));
    assert.notEqual(id({ ...base, "canary-weight": "10" }), id({ ...base, "canary-weight": "50" }));
  });

  it("names each problem by its flag, and says what CI would have filled in", () => {
    const event = buildDeploymentEvent({ status: "exploded", environment: "production", "canary-weight": "lots" }, undefined, now);
    const batch = parseEventBatch([event]);
    assert.ok(!batch.ok);
    const lines = batch.issues.map((issue) => describeIssue(issue, event));
    assert.ok(lines.some((l) => l.startsWith("status (--status): ")), lines.join("\n"));
    assert.ok(lines.some((l) => l.startsWith("canaryWeight (--canary-weight): ")), lines.join("\n"));
    assert.ok(lines.some((l) => l.startsWith("deploymentId: missing, give --deployment-id (filled in automatically")), lines.join("\n"));
  });

  it("parses git log records, subjects with tabs and all", () => {
    const output = "a1b2c3d4\x1fAda\x1f2026-11-19T16:05:00+01:00\x1f2026-11-19T16:07:00+01:00\x1ffix:\tthe thing\x1e\n" +
      "e5f6a7b8\x1fBob\x1f2026-11-18T09:00:00Z\x1f2026-11-18T09:00:00Z\x1ffeat: more\x1e\n";
    assert.deepEqual(parseGitLog(output), [
      { sha: "a1b2c3d4", author: "Ada", authoredAt: "2026-11-19T16:05:00+01:00", committedAt: "2026-11-19T16:07:00+01:00", message: "fix:\tthe thing" },
      { sha: "e5f6a7b8", author: "Bob", authoredAt: "2026-11-18T09:00:00Z", committedAt: "2026-11-18T09:00:00Z", message: "feat: more" },
    ]);
    assert.deepEqual(parseGitLog(""), []);
  });
});
