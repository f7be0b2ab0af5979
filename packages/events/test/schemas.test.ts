import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch, type EventIssue } from "../src/index.ts";

const common = { occurredAt: "2026-11-20T10:00:00Z", service: "checkout", environment: "production" };

const valid = {
  deployment: { type: "deployment", ...common, deploymentId: "d-42", version: "3f2c9a1", status: "succeeded", strategy: "canary", canaryWeight: 50, kind: "hotfix", rollsBack: "d-41", artifact: "sha256:abc", url: "https://ci.example/run/1", actor: "ana", team: "payments", labels: { region: "eu" }, commits: [{ sha: "3f2c9a1", authoredAt: "2026-11-19T16:05:00Z", committedAt: "2026-11-19T16:06:00Z", author: "ana", message: "fix" }] },
  incident: { type: "incident", ...common, incidentId: "i-7", status: "opened", severity: "sev1", title: "Checkout 500s", url: "https://pd.example/i/7", causedBy: "d-42" },
  usecase: { type: "usecase", ...common, deploymentId: "d-42", usecase: "pay with card", suite: "smoke", status: "fail", durationMs: 1200, error: "timeout" },
  flag: { type: "flag", ...common, flag: "new-checkout", action: "rollout", percentage: 25, actor: "ana" },
  commit: { type: "commit", ...common, sha: "3f2c9a1", repository: "acme/checkout", authoredAt: "2026-11-19T16:05:00Z", committedAt: "2026-11-19T16:06:00Z", author: "ana", message: "fix" },
  pull_request: { type: "pull_request", ...common, repository: "acme/checkout", number: 12, status: "approved", title: "Retry card auth", author: "ana", url: "https://github.com/acme/checkout/pull/12", commits: ["3f2c9a1"] },
} as const;

function issuesOf(item: unknown): EventIssue[] {
  const result = parseEventBatch([item]);
  return result.ok ? [] : result.issues;
}

const paths = (item: unknown) => issuesOf(item).map((issue) => issue.path);

describe("canonical event schemas", () => {
  for (const [type, event] of Object.entries(valid)) {
    it(`accepts a full ${type} event and derives an id`, () => {
      const result = parseEventBatch([event]);
      assert.ok(result.ok, JSON.stringify(result));
      assert.match(result.events[0]!.id, new RegExp(`^${type}:[0-9a-f]{32}$`));
    });
  }

  it("names the field of each kind of problem", () => {
    assert.deepEqual(paths({ ...valid.deployment, status: "done" }), ["status"]);
    assert.deepEqual(paths({ ...valid.deployment, canaryWeight: 101 }), ["canaryWeight"]);
    assert.deepEqual(paths({ ...valid.deployment, commits: [{ sha: "abc123" }] }), ["commits.0.authoredAt"]);
    assert.deepEqual(paths({ ...valid.incident, status: "closed" }), ["status"]);
    assert.deepEqual(paths({ ...valid.usecase, status: "passed" }), ["status"]);
    assert.deepEqual(paths({ ...valid.flag, action: "toggled" }), ["action"]);
    assert.deepEqual(paths({ ...valid.commit, authoredAt: "last tuesday" }), ["authoredAt"]);
    assert.deepEqual(paths({ ...valid.deployment, service: "  " }), ["service"]);
    assert.deepEqual(paths({ ...valid.deployment, type: "party" }), ["type"]);
    assert.deepEqual(paths({ ...valid.deployment, surprise: true }), [""]);
  });

  it("names the field of a bad pull request step", () => {
    const pr = valid.pull_request;
    assert.deepEqual(paths({ ...pr, number: 0, status: "commented", commits: ["ab"] }), ["number", "status", "commits.0"]);
    assert.deepEqual(paths({ ...pr, repository: "" }), ["repository"]);
  });

  it("needs a deployment id or a version for a use-case result", () => {
    const { deploymentId: _, ...withoutDeployment } = valid.usecase;
    assert.deepEqual(paths(withoutDeployment), ["deploymentId"]);
    assert.match(issuesOf(withoutDeployment)[0]!.message, /needs deploymentId, or version/);
    assert.deepEqual(paths({ ...withoutDeployment, version: "3f2c9a1" }), []);
  });

  it("rejects a timestamp without an offset, and normalises offsets to UTC milliseconds", () => {
    assert.deepEqual(paths({ ...valid.flag, occurredAt: "2026-11-20T10:00:00" }), ["occurredAt"]);
    const result = parseEventBatch([{ ...valid.flag, occurredAt: "2026-11-20T12:00:00+02:00" }]);
    assert.ok(result.ok);
    assert.equal(result.events[0]!.occurredAt, "2026-11-20T10:00:00.000Z");
  });

  it("derives the same id for the same event, whatever the key order or timestamp spelling", () => {
    const a = parseEventBatch([valid.flag]);
    const b = parseEventBatch([{ percentage: 25, actor: "ana", flag: "new-checkout", action: "rollout", environment: "production", service: "checkout", occurredAt: "2026-11-20T10:00:00.000Z", type: "flag" }]);
    const c = parseEventBatch([{ ...valid.flag, percentage: 30 }]);
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.events[0]!.id, b.events[0]!.id);
    assert.notEqual(a.events[0]!.id, c.events[0]!.id);
    const { commits, labels, ...rest } = valid.deployment;
    const reordered = { commits: commits.map(({ message, author, sha, committedAt, authoredAt }) => ({ message, author, sha, committedAt, authoredAt })), ...Object.fromEntries(Object.entries(rest).reverse()), labels: { zone: "b", region: "eu" } };
    const d = parseEventBatch([{ ...valid.deployment, labels: { region: "eu", zone: "b" } }, reordered]);
    assert.ok(d.ok);
    assert.equal(d.events[0]!.id, d.events[1]!.id);
  });

  it("keeps a client-chosen id", () => {
    const result = parseEventBatch([{ ...valid.flag, id: "delivery-1" }]);
    assert.ok(result.ok);
    assert.equal(result.events[0]!.id, "delivery-1");
  });

  it("reports every bad item of a batch by index", () => {
    const result = parseEventBatch([valid.flag, { ...valid.flag, action: "x" }, valid.commit, { type: "commit" }]);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && new Set(result.issues.map((issue) => issue.index)).size === 2);
    assert.ok(!result.ok && result.issues.every((issue) => issue.index === 1 || issue.index === 3));
  });
});

describe("canonical event values", () => {
  const ENUMS: Array<[keyof typeof valid, string, string[]]> = [
    ["deployment", "status", ["started", "succeeded", "failed", "rolled_back"]],
    ["deployment", "strategy", ["rolling", "blue_green", "canary", "recreate"]],
    ["deployment", "kind", ["normal", "rollback", "hotfix"]],
    ["incident", "status", ["opened", "acknowledged", "resolved"]],
    ["usecase", "status", ["pass", "fail", "skip"]],
    ["flag", "action", ["enabled", "disabled", "rollout"]],
    ["pull_request", "status", ["opened", "reviewed", "approved", "merged", "closed"]],
  ];
  for (const [type, field, values] of ENUMS) {
    it(`accepts every ${type} ${field} (${values.join(", ")}) and nothing else`, () => {
      for (const value of values) assert.deepEqual(paths({ ...valid[type], [field]: value }), [], value);
      for (const value of ["", values[0]!.toUpperCase(), `${values[0]}x`]) assert.deepEqual(paths({ ...valid[type], [field]: value }), [field], value);
    });
  }

  it("trims names and ids, and refuses what is only blanks", () => {
    const result = parseEventBatch([{ ...valid.deployment, id: "  d-1  ", service: " checkout ", commits: [{ sha: " abcd ", authoredAt: "2026-11-19T16:05:00Z" }] }]);
    assert.ok(result.ok, JSON.stringify(result));
    const event = result.events[0]! as { id: string; service: string; commits: Array<{ sha: string }> };
    assert.deepEqual([event.id, event.service, event.commits[0]!.sha], ["d-1", "checkout", "abcd"]);
    assert.deepEqual(paths({ ...valid.deployment, id: "   " }), ["id"]);
    assert.deepEqual(paths({ ...valid.deployment, commits: [{ sha: " abc ", authoredAt: "2026-11-19T16:05:00Z" }] }), ["commits.0.sha"]);
  });

  it("trims the commit and pull request fields that link to deployments", () => {
    const result = parseEventBatch([
      { ...valid.commit, sha: " 3f2c9a1 " },
      { ...valid.pull_request, repository: " acme/checkout ", commits: [" 3f2c9a1 "] },
    ]);
    assert.ok(result.ok, JSON.stringify(result));
    const [commit, pr] = result.events as unknown as [{ sha: string }, { repository: string; commits: string[] }];
    assert.deepEqual([commit.sha, pr.repository, pr.commits], ["3f2c9a1", "acme/checkout", ["3f2c9a1"]]);
    assert.deepEqual(paths({ ...valid.commit, sha: " abc " }), ["sha"]);
    assert.deepEqual(paths({ ...valid.pull_request, repository: "   ", commits: [" abc "] }), ["repository", "commits.0"]);
  });
});
