import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS } from "../src/index.ts";
import { gitlabTime } from "../src/gitlab.ts";
import { config, delivery, fixture } from "./helpers.ts";

const gitlab = COLLECTORS.gitlab;
const cfg = config({ repositories: { "root/test-deployment-webhooks": { service: "webhooks-demo", team: "infra" } } });
const map = (event: string, file: string | object) => gitlab.map(delivery(typeof file === "string" ? fixture("gitlab", file) : file, { "x-gitlab-event": event }), cfg);

describe("gitlab mapping over the documented payloads", () => {
  it("reads GitLab's three timestamp styles", () => {
    assert.equal(new Date(gitlabTime("2021-04-28 21:50:00 +0200")).toISOString(), "2021-04-28T19:50:00.000Z");
    assert.equal(new Date(gitlabTime("2016-08-12 15:23:28 UTC")).toISOString(), "2016-08-12T15:23:28.000Z");
    assert.equal(gitlabTime("2016-08-12T17:23:21+02:00"), "2016-08-12T17:23:21+02:00");
  });

  it("maps a deployment event with the full SHA from commit_url and the tier-aware environment", () => {
    const [event] = (map("Deployment Hook", "deployment.success.json") as any).events;
    assert.deepEqual(
      [event.type, event.status, event.deploymentId, event.version, event.occurredAt, event.service, event.team, event.environment, event.actor, event.url],
      ["deployment", "succeeded", "gitlab:30:15", "279484c09fbe69ededfced8c1bb6e6d24616b468", "2021-04-28T19:50:00.000Z", "webhooks-demo", "infra", "staging", "root",
        "http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796"],
    );
  });

  it("maps running, failed and ignores canceled", () => {
    const base = fixture("gitlab", "deployment.success.json");
    assert.equal((map("Deployment Hook", { ...base, status: "running" }) as any).events[0].status, "started");
    assert.equal((map("Deployment Hook", { ...base, status: "failed" }) as any).events[0].status, "failed");
    assert.equal(map("Deployment Hook", { ...base, status: "canceled" }).kind, "ignored");
    // A custom environment name still lands in production when GitLab's tier says so.
    assert.equal((map("Deployment Hook", { ...base, environment: "eu-live-1", environment_tier: "production" }) as any).events[0].environment, "production");
  });

  it("maps a pipeline to its commit and a push to its commits", () => {
    const [commit] = (map("Pipeline Hook", "pipeline.success.json") as any).events;
    assert.deepEqual([commit.type, commit.sha, commit.authoredAt, commit.repository], ["commit", "bcbb5ec396a2c0f828686f14fac9b80b780504f2", "2016-08-12T15:23:21.000Z", "gitlab-org/gitlab-test"]);
    const push = fixture("gitlab", "push.json");
    const events = (map("Push Hook", push) as any).events;
    assert.deepEqual(events.map((e: any) => e.sha), push.commits.map((c: any) => c.id));
    assert.deepEqual(events.map((e: any) => e.authoredAt), push.commits.map((c: any) => new Date(c.timestamp).toISOString()));
  });

  it("ignores tag pushes and names a missing event header or field", () => {
    assert.equal(map("Tag Push Hook", "tag_push.json").kind, "ignored");
    assert.deepEqual((gitlab.map(delivery({}), cfg) as any).issues[0].path, "headers.x-gitlab-event");
    const { deployment_id: _dropped, ...broken } = fixture("gitlab", "deployment.success.json");
    assert.deepEqual((map("Deployment Hook", broken) as any).issues.map((i: any) => i.path), ["deployment_id"]);
  });

  it("checks X-Gitlab-Token", () => {
    const body = Buffer.from("{}");
    assert.equal(gitlab.verify("tok", body, { "x-gitlab-token": "tok" }), true);
    assert.equal(gitlab.verify("tok", body, { "x-gitlab-token": "tok2" }), false);
    assert.equal(gitlab.verify("tok", body, {}), false);
  });

  it("maps merge request steps: opened, approved (GitLab's review), merged with its merge commit, closed; ignores updates", () => {
    const open = fixture("gitlab", "merge_request.open.drumbeat.json");
    const [opened] = (map("Merge Request Hook", open) as any).events;
    assert.deepEqual(opened, {
      type: "pull_request", id: opened.id, source: "gitlab", occurredAt: "2013-12-03T17:23:34.000Z", service: "webhooks-demo", team: "infra",
      environment: "production", repository: "root/test-deployment-webhooks", number: 1, status: "opened", title: "MS-Viewport", author: "root",
      url: "http://example.com/diaspora/merge_requests/1", commits: ["da1560886d4f094c3e6c9ef40349f7d38b5d27d7"],
    });
    const step = (action: string, extra: Record<string, unknown> = {}) =>
      (map("Merge Request Hook", { ...open, object_attributes: { ...open.object_attributes, action, updated_at: "2013-12-04 09:00:00 UTC", ...extra } }) as any);
    assert.deepEqual([step("approved").events[0].status, step("approved").events[0].occurredAt], ["approved", "2013-12-04T09:00:00.000Z"]);
    assert.equal(step("approval").events[0].status, "approved");
    const merged = step("merge", { merge_commit_sha: "feedfacefeedfacefeedfacefeedfacefeedface" }).events[0];
    assert.deepEqual([merged.status, merged.commits], ["merged", ["da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "feedfacefeedfacefeedfacefeedfacefeedface"]]);
    assert.equal(step("close").events[0].status, "closed");
    assert.match(step("update").reason, /'update' is not used/);
  });
});
