import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { COLLECTORS } from "../src/index.ts";
import { config, delivery } from "./helpers.ts";

// Every example GitHub's own SDK team publishes for the events Drumbeat reads (MIT, see fixtures/PROVENANCE.md).
const require = createRequire(import.meta.url);
const index: { name: string; examples: any[] }[] = require("@octokit/webhooks-examples/api.github.com/index.json");
const examples = (name: string) => index.find((event) => event.name === name)!.examples;
const github = COLLECTORS.github!;
const cfg = config({ repositories: { "Codertocat/Hello-World": { service: "hello", team: "octo" } } });
const map = (event: string, payload: unknown, c = cfg, id = "72d3162e-cc78-11e3-81ab-4c9367dc0958") =>
  github.map(delivery(payload, { "x-github-event": event }, id), c);

describe("github mapping over every @octokit/webhooks-examples example", () => {
  it("has examples of every event it reads", () => {
    for (const name of ["deployment", "deployment_status", "push", "workflow_run", "pull_request", "pull_request_review", "ping"]) {
      assert.ok(examples(name).length > 0, name);
    }
  });

  it("maps each deployment to a started deployment of the repository's service", () => {
    for (const example of examples("deployment")) {
      const result = map("deployment", example);
      assert.equal(result.kind, "events");
      if (result.kind !== "events") continue;
      const [event] = result.events as any[];
      assert.equal(event.type, "deployment");
      assert.equal(event.status, "started");
      assert.equal(event.deploymentId, `github:${example.deployment.id}`);
      assert.equal(event.version, example.deployment.sha);
      assert.equal(event.occurredAt, new Date(example.deployment.created_at).toISOString());
      assert.equal(event.actor, example.deployment.creator.login);
    }
    const [first] = (map("deployment", examples("deployment")[0]) as any).events;
    assert.deepEqual([first.service, first.team, first.environment], ["hello", "octo", "production"]);
  });

  it("maps each deployment status by its state, with the status's own environment and time", () => {
    const expected: Record<string, string> = { success: "succeeded", in_progress: "started" };
    for (const example of examples("deployment_status")) {
      const result = map("deployment_status", example);
      assert.equal(result.kind, "events", JSON.stringify(result));
      if (result.kind !== "events") continue;
      const [event] = result.events as any[];
      assert.equal(event.status, expected[example.deployment_status.state]);
      assert.equal(event.deploymentId, `github:${example.deployment.id}`);
      assert.equal(event.occurredAt, new Date(example.deployment_status.created_at).toISOString());
      // github-pages is not a production name: it stays what GitHub called it.
      assert.equal(event.environment, example.deployment_status.environment === "production" ? "production" : "github-pages");
      // An empty target_url is no URL at all.
      assert.equal(event.url, example.deployment_status.target_url || undefined);
    }
  });

  it("ignores an inactive deployment status and maps failure/error as failed", () => {
    const base = examples("deployment_status")[0];
    const withState = (state: string) => map("deployment_status", { ...base, deployment_status: { ...base.deployment_status, state } });
    assert.equal(withState("inactive").kind, "ignored");
    for (const state of ["failure", "error"]) assert.equal((withState(state) as any).events[0].status, "failed");
  });

  it("maps each push's commits to commit events with their timestamps, and ignores deleted refs and empty pushes", () => {
    let commits = 0;
    for (const example of examples("push")) {
      const result = map("push", example);
      if (example.deleted || example.commits.length === 0) {
        assert.equal(result.kind, "ignored");
        continue;
      }
      assert.equal(result.kind, "events");
      if (result.kind !== "events") continue;
      result.events.forEach((event: any, i) => {
        assert.equal(event.type, "commit");
        assert.equal(event.sha, example.commits[i].id);
        assert.equal(event.authoredAt, new Date(example.commits[i].timestamp).toISOString());
        assert.equal(event.repository, example.repository.full_name);
      });
      commits += result.events.length;
    }
    assert.ok(commits > 0, "the examples include a push with commits");
  });

  it("ignores workflow runs unless configured, then maps matching runs by action and conclusion", () => {
    for (const example of examples("workflow_run")) assert.equal(map("workflow_run", example).kind, "ignored");
    const deploys = config({ github: { deploymentWorkflows: ".*" } });
    for (const example of examples("workflow_run")) {
      const result = map("workflow_run", example, deploys);
      const { action } = example;
      const conclusion = example.workflow_run.conclusion;
      if (action === "requested") assert.equal((result as any).events[0].status, "started");
      else if (conclusion === "success") assert.equal((result as any).events[0].status, "succeeded");
      else assert.equal(result.kind, "ignored", `${action}/${conclusion}`);
      if (result.kind === "events") assert.equal((result.events[0] as any).version, example.workflow_run.head_sha);
    }
    const named = config({ github: { deploymentWorkflows: "^Deploy" } });
    assert.match((map("workflow_run", examples("workflow_run")[0], named) as any).reason, /does not match/);
  });

  it("maps pull requests opened, merged and closed unmerged as pull_request steps; other actions change no stage", () => {
    for (const example of examples("pull_request")) {
      const result = map("pull_request", example) as any;
      assert.equal(result.kind, ["opened", "closed"].includes(example.action) ? "events" : "ignored", example.action);
    }
    const opened = examples("pull_request").find((e) => e.action === "opened");
    const [event] = (map("pull_request", opened) as any).events;
    assert.deepEqual(event, {
      type: "pull_request", id: "github:72d3162e-cc78-11e3-81ab-4c9367dc0958:0", source: "github",
      occurredAt: new Date(opened.pull_request.created_at).toISOString(), service: "hello", team: "octo", environment: "production",
      repository: "Codertocat/Hello-World", number: 2, status: "opened", title: opened.pull_request.title, author: "Codertocat",
      url: opened.pull_request.html_url, commits: [opened.pull_request.head.sha],
    });
    // DERIVED from the octokit closed example: GitHub's examples have no merged pull request.
    const closed = examples("pull_request").find((e) => e.action === "closed");
    const merged = { ...closed, pull_request: { ...closed.pull_request, merged: true, merged_at: "2019-05-15T16:00:00Z", merge_commit_sha: "c0ffee1234567890c0ffee1234567890c0ffee12" } };
    const [merge] = (map("pull_request", merged) as any).events;
    assert.deepEqual([merge.status, merge.occurredAt, merge.commits], ["merged", "2019-05-15T16:00:00.000Z", [closed.pull_request.head.sha, "c0ffee1234567890c0ffee1234567890c0ffee12"]]);
    const unmerged = { ...closed, pull_request: { ...closed.pull_request, closed_at: "2019-05-15T17:00:00Z" } };
    const [close] = (map("pull_request", unmerged) as any).events;
    assert.deepEqual([close.status, close.occurredAt, close.commits], ["closed", "2019-05-15T17:00:00.000Z", [closed.pull_request.head.sha]]);
    const noTime = { ...closed, pull_request: { ...closed.pull_request, closed_at: null } };
    assert.deepEqual((map("pull_request", noTime) as any).issues, [{ path: "pull_request.closed_at", message: "a closed pull request needs closed_at" }]);
  });

  it("maps a submitted review as reviewed, an approving one as approved, and ignores a dismissal", () => {
    for (const example of examples("pull_request_review")) {
      const result = map("pull_request_review", example) as any;
      if (example.action === "submitted") assert.deepEqual([result.events[0].status, result.events[0].occurredAt], ["reviewed", new Date(example.review.submitted_at).toISOString()]);
      else assert.equal(result.kind, "ignored");
    }
    // DERIVED: the octokit examples' reviews only comment.
    const submitted = examples("pull_request_review").find((e) => e.action === "submitted");
    const approving = { ...submitted, review: { ...submitted.review, state: "approved" } };
    assert.equal((map("pull_request_review", approving) as any).events[0].status, "approved");
  });

  it("recognises ping (answered 200 by the API) and ignores events it does not use", () => {
    assert.equal(github.isPing!({ "x-github-event": "ping" }), true);
    assert.equal(github.isPing!({ "x-github-event": "push" }), false);
    assert.match((map("star", { action: "created" }) as any).reason, /not used/);
  });

  it("derives event ids from the delivery id, so a redelivery yields the same ids", () => {
    const push = examples("push").find((e) => e.commits.length > 0);
    const first = map("push", push, cfg, "guid-1") as any;
    const again = map("push", push, cfg, "guid-1") as any;
    const other = map("push", push, cfg, "guid-2") as any;
    assert.deepEqual(first.events.map((e: any) => e.id), ["github:guid-1:0"]);
    assert.deepEqual(again.events.map((e: any) => e.id), first.events.map((e: any) => e.id));
    assert.notDeepEqual(other.events.map((e: any) => e.id), first.events.map((e: any) => e.id));
  });

  it("names what is wrong with a malformed payload", () => {
    const base = examples("deployment")[0];
    const result = map("deployment", { ...base, deployment: { ...base.deployment, sha: 42 } });
    assert.equal(result.kind, "malformed");
    assert.deepEqual((result as any).issues.map((i: any) => i.path), ["deployment.sha"]);
    assert.deepEqual((github.map(delivery({}, {}), cfg) as any).issues[0].path, "headers.x-github-event");
  });
});
