import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { COLLECTORS, deliveryIdOf, hmacSha256Hex, keptHeaders } from "../src/index.ts";
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

describe("github mapping: values and boundaries", () => {
  const first = (name: string, where: (e: any) => boolean = () => true) => structuredClone(examples(name).find(where));
  const eventOf = (result: any) => { assert.equal(result.kind, "events", JSON.stringify(result)); return result.events[0]; };
  const deploys = (github: object = {}) => config({ ...{ repositories: { "Codertocat/Hello-World": { service: "hello", team: "octo" } } }, github: { deploymentWorkflows: "^Deploy", ...github } });
  const run = (patch: object, action = "completed") => { const e = first("workflow_run", (x) => x.workflow_run.conclusion === "success"); return { ...e, action, workflow_run: { ...e.workflow_run, name: "Deploy production", ...patch } }; };

  it("keeps a deployment's id, repository, ref and task; a deployment without creator has no actor", () => {
    const example = first("deployment");
    const event = eventOf(map("deployment", example));
    assert.deepEqual([event.id, event.source, event.labels], ["github:72d3162e-cc78-11e3-81ab-4c9367dc0958:0", "github", { repository: "Codertocat/Hello-World", ref: "master", task: "deploy" }]);
    const anonymous = eventOf(map("deployment", { ...example, deployment: { ...example.deployment, creator: null, task: null } }));
    assert.deepEqual([anonymous.actor, anonymous.labels], [undefined, { repository: "Codertocat/Hello-World", ref: "master" }]);
    assert.deepEqual(map("deployment", { ...example, action: "deleted" }), { kind: "ignored", reason: "deployment action 'deleted' is not used" });
  });

  it("maps queued and pending deployment statuses as started, and names an unused state", () => {
    const base = first("deployment_status");
    const withState = (state: string) => map("deployment_status", { ...base, deployment_status: { ...base.deployment_status, state } }) as any;
    for (const state of ["queued", "pending", "in_progress"]) assert.equal(eventOf(withState(state)).status, "started", state);
    assert.deepEqual(withState("inactive"), { kind: "ignored", reason: "deployment status 'inactive' does not change a deployment's outcome" });
  });

  it("keeps a deployment status's id, description (cut to 2000 characters) and ref; no creator, no actor", () => {
    const base = first("deployment_status");
    const withStatus = (patch: object, deployment: object = {}) =>
      eventOf(map("deployment_status", { ...base, deployment: { ...base.deployment, ...deployment }, deployment_status: { ...base.deployment_status, ...patch } }));
    const event = withStatus({ description: "Deployed v2" });
    assert.deepEqual([event.id, event.source, event.actor, event.labels], ["github:72d3162e-cc78-11e3-81ab-4c9367dc0958:0", "github", "Codertocat", { repository: "Codertocat/Hello-World", ref: "master", description: "Deployed v2" }]);
    assert.equal(withStatus({ description: "d".repeat(2_001) }).labels.description, "d".repeat(2_000));
    const bare = withStatus({ description: null }, { creator: null });
    assert.deepEqual([bare.actor, bare.labels], [undefined, { repository: "Codertocat/Hello-World", ref: "master" }]);
  });

  it("names the reason a push carries nothing", () => {
    const push = first("push", (e) => e.commits.length > 0);
    assert.deepEqual(map("push", { ...push, deleted: true }), { kind: "ignored", reason: "push deleted a ref" });
    assert.deepEqual(map("push", { ...push, commits: [] }), { kind: "ignored", reason: "push carries no commits" });
  });

  it("keeps each commit's author (username, else name) and message (cut to 10000 characters)", () => {
    const push = first("push", (e) => e.commits.length > 0);
    const [commit] = push.commits;
    const withCommits = (...patches: object[]) => (map("push", { ...push, commits: patches.map((patch) => ({ ...commit, ...patch })) }) as any).events;
    const [real] = withCommits({});
    assert.deepEqual([real.author, real.message, real.environment], ["Codertocat", "Initial commit", "production"]);
    const events = withCommits({ author: { name: "Mona Lisa" } }, { author: null, message: null }, { message: "m".repeat(10_001) });
    assert.deepEqual(events.map((e: any) => [e.id, e.author, e.message?.length]), [
      ["github:72d3162e-cc78-11e3-81ab-4c9367dc0958:0", "Mona Lisa", 14],
      ["github:72d3162e-cc78-11e3-81ab-4c9367dc0958:1", undefined, undefined],
      ["github:72d3162e-cc78-11e3-81ab-4c9367dc0958:2", "Codertocat", 10_000],
    ]);
  });

  it("maps a matching workflow run to a deployment per run attempt, with its workflow, branch and actor", () => {
    const event = eventOf(map("workflow_run", run({ run_attempt: 2 }), deploys()));
    assert.deepEqual([event.id, event.source, event.deploymentId, event.status, event.environment, event.actor, event.url, event.occurredAt, event.labels], [
      "github:72d3162e-cc78-11e3-81ab-4c9367dc0958:0", "github", "github:run:289782451:2", "succeeded", "production", "Codertocat",
      "https://github.com/octo-org/octo-repo/actions/runs/289782451", "2020-10-05T16:33:49.000Z",
      { repository: "octo-org/octo-repo", workflow: "Deploy production", branch: "master" },
    ]);
    const firstAttempt = eventOf(map("workflow_run", run({ run_attempt: undefined, actor: null }), deploys()));
    assert.deepEqual([firstAttempt.deploymentId, firstAttempt.actor], ["github:run:289782451:1", undefined]);
    assert.equal(eventOf(map("workflow_run", run({}), deploys({ workflowEnvironment: "staging" }))).environment, "staging");
  });

  it("maps workflow run actions and conclusions, naming what it ignores", () => {
    const status = (action: string, conclusion: string | null) => map("workflow_run", run({ conclusion }, action), deploys()) as any;
    assert.equal(eventOf(status("in_progress", null)).status, "started");
    assert.equal(eventOf(status("requested", null)).status, "started");
    for (const conclusion of ["failure", "timed_out"]) assert.equal(eventOf(status("completed", conclusion)).status, "failed", conclusion);
    assert.deepEqual(status("completed", "cancelled"), { kind: "ignored", reason: "workflow run concluded 'cancelled', neither a deployment nor a failed one" });
    assert.deepEqual(status("completed", null), { kind: "ignored", reason: "workflow run concluded '(none)', neither a deployment nor a failed one" });
    assert.deepEqual(status("completed", "constructor"), { kind: "ignored", reason: "workflow run concluded 'constructor', neither a deployment nor a failed one" });
    assert.deepEqual(status("deleted", "success"), { kind: "ignored", reason: "workflow_run action 'deleted' is not used" });
    assert.deepEqual(map("workflow_run", run({ name: null }), deploys()), { kind: "ignored", reason: "workflow '' does not match github.deploymentWorkflows" });
    assert.deepEqual(map("workflow_run", run({})), { kind: "ignored", reason: "workflow runs count as deployments only when github.deploymentWorkflows is configured" });
  });

  it("cuts a pull request's title to 1000 characters; without title or user it has neither", () => {
    const opened = first("pull_request", (e) => e.action === "opened");
    const withPr = (patch: object) => eventOf(map("pull_request", { ...opened, pull_request: { ...opened.pull_request, ...patch } }));
    assert.equal(withPr({ title: "t".repeat(1_001) }).title, "t".repeat(1_000));
    const bare = withPr({ title: null, user: null });
    assert.deepEqual([bare.title, bare.author], [undefined, undefined]);
    assert.deepEqual(map("pull_request", { ...opened, action: "labeled" }), { kind: "ignored", reason: "pull_request action 'labeled' is not used" });
  });

  it("maps a closed pull request without a merge time as closed, and says so when it has no close time", () => {
    const closed = first("pull_request", (e) => e.action === "closed");
    assert.deepEqual(map("pull_request", { ...closed, pull_request: { ...closed.pull_request, closed_at: null } }),
      { kind: "malformed", issues: [{ path: "pull_request.closed_at", message: "a closed pull request needs closed_at" }] });
  });

  it("names a review's missing submitted_at and an unused review action", () => {
    const submitted = first("pull_request_review", (e) => e.action === "submitted");
    assert.deepEqual(map("pull_request_review", { ...submitted, review: { ...submitted.review, submitted_at: null } }),
      { kind: "malformed", issues: [{ path: "review.submitted_at", message: "a submitted review needs submitted_at" }] });
    assert.deepEqual(map("pull_request_review", { ...submitted, action: "edited" }), { kind: "ignored", reason: "pull_request_review action 'edited' is not used" });
    assert.equal(eventOf(map("pull_request_review", { ...submitted, review: { ...submitted.review, state: "APPROVED" } })).status, "approved");
  });

  it("names the missing or mistyped field of each event's payload", () => {
    const deployment = first("deployment");
    const status = first("deployment_status");
    const push = first("push", (e) => e.commits.length > 0);
    const workflow = run({});
    const pr = first("pull_request", (e) => e.action === "opened");
    const review = first("pull_request_review", (e) => e.action === "submitted");
    const without = (payload: any, key: string) => { const copy = { ...payload }; delete copy[key]; return copy; };
    const cases: Array<[string, unknown, string]> = [
      ["deployment", without(deployment, "action"), "action"],
      ["deployment", { ...deployment, repository: {} }, "repository.full_name"],
      ["deployment", { ...deployment, deployment: { ...deployment.deployment, creator: { login: 7 } } }, "deployment.creator.login"],
      ["deployment_status", { ...status, deployment_status: without(status.deployment_status, "id") }, "deployment_status.id"],
      ["push", without(push, "ref"), "ref"],
      ["push", { ...push, commits: [without(push.commits[0], "id")] }, "commits.0.id"],
      ["push", { ...push, commits: [{ ...push.commits[0], author: { name: 7 } }] }, "commits.0.author.name"],
      ["workflow_run", without(workflow, "action"), "action"],
      ["workflow_run", { ...workflow, workflow_run: without(workflow.workflow_run, "id") }, "workflow_run.id"],
      ["pull_request", without(pr, "pull_request"), "pull_request"],
      ["pull_request", { ...pr, pull_request: without(pr.pull_request, "number") }, "pull_request.number"],
      ["pull_request", { ...pr, pull_request: { ...pr.pull_request, head: {} } }, "pull_request.head.sha"],
      ["pull_request_review", without(review, "action"), "action"],
      ["pull_request_review", { ...review, review: {} }, "review.state"],
    ];
    for (const [event, payload, path] of cases) {
      const result = map(event, payload, deploys()) as any;
      assert.equal(result.kind, "malformed", `${event} ${path}`);
      assert.deepEqual(result.issues.map((issue: any) => issue.path), [path], `${event} ${path}`);
    }
  });

  it("names the event header when it is missing, and an unused event in the reason", () => {
    assert.deepEqual(github.map(delivery({}, {}), cfg), { kind: "malformed", issues: [{ path: "headers.x-github-event", message: "missing: GitHub names the event in this header" }] });
    assert.deepEqual(map("star", { action: "created" }), { kind: "ignored", reason: "GitHub event 'star' is not used" });
  });

  it("journals the event, delivery, hook id and user agent, never the signature; keys a delivery by X-GitHub-Delivery", () => {
    const headers = { "x-github-event": "push", "x-github-delivery": "d-1", "x-github-hook-id": "42", "user-agent": "GitHub-Hookshot/1", "x-hub-signature-256": "sha256=00", "content-type": "application/json" };
    assert.deepEqual(keptHeaders(github, headers), { "x-github-event": "push", "x-github-delivery": "d-1", "x-github-hook-id": "42", "user-agent": "GitHub-Hookshot/1" });
    assert.equal(deliveryIdOf(github, headers, Buffer.from("{}")), "d-1");
  });

  it("verifies X-Hub-Signature-256 (sha256=<hex>) over the raw body", () => {
    const body = Buffer.from(JSON.stringify(first("push")));
    const signature = `sha256=${hmacSha256Hex("hook-secret", body)}`;
    assert.equal(github.verify("hook-secret", body, { "x-hub-signature-256": signature }), true);
    assert.equal(github.verify("hook-secret", body, { "x-hub-signature-256": hmacSha256Hex("hook-secret", body) }), false);
    assert.equal(github.verify("hook-secret", body, { "x-hub-signature": signature }), false);
    assert.equal(github.verify("other-secret", body, { "x-hub-signature-256": signature }), false);
  });

  it("is registered under the source it records", () => {
    for (const [name, collector] of Object.entries(COLLECTORS)) assert.equal(collector.source, name);
  });
});
