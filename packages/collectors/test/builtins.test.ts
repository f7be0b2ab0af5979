import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { COLLECTORS } from "../src/index.ts";
import { config, delivery, fixture } from "./helpers.ts";

// Names every JavaScript object answers to: a lookup table must not mistake them for its own keys.
const BUILT_INS = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"];
const require = createRequire(import.meta.url);
const githubExamples: { name: string; examples: any[] }[] = require("@octokit/webhooks-examples/api.github.com/index.json");
const github = (name: string, pick: (e: any) => boolean = () => true) => structuredClone(githubExamples.find((e) => e.name === name)!.examples.find(pick));

describe("collectors: built-in JavaScript names in the fields a mapping branches on", () => {
  for (const name of BUILT_INS) {
    it(`'${name}' as the delivery kind header is ignored (GitHub, GitLab, Sentry)`, () => {
      const cases = [
        COLLECTORS.github.map(delivery(github("push"), { "x-github-event": name }), config()),
        COLLECTORS.gitlab.map(delivery(fixture("gitlab", "push.json"), { "x-gitlab-event": name }), config()),
        COLLECTORS.sentry.map(delivery(fixture("sentry", "issue.created.json"), { "sentry-hook-resource": name }), config()),
      ];
      for (const result of cases) assert.equal(result.kind, "ignored", JSON.stringify(result));
    });

    it(`'${name}' as a status or action in the payload is ignored (PagerDuty, Opsgenie, Sentry, GitHub, GitLab)`, () => {
      const pd = fixture("pagerduty", "incident.triggered.zulip.json");
      pd.event.event_type = name;
      const og = { ...fixture("opsgenie", "alert.create.json"), action: name };
      const sentry = { ...fixture("sentry", "issue.created.json"), action: name };
      const status = github("deployment_status");
      status.deployment_status.state = name;
      const gitlab = { ...fixture("gitlab", "deployment.success.json"), status: name };
      const cases = [
        COLLECTORS.pagerduty.map(delivery(pd), config()),
        COLLECTORS.opsgenie.map(delivery(og), config()),
        COLLECTORS.sentry.map(delivery(sentry, { "sentry-hook-resource": "issue" }), config()),
        COLLECTORS.github.map(delivery(status, { "x-github-event": "deployment_status" }), config()),
        COLLECTORS.gitlab.map(delivery(gitlab, { "x-gitlab-event": "Deployment Hook" }), config()),
      ];
      for (const result of cases) assert.equal(result.kind, "ignored", JSON.stringify(result));
    });

    it(`'${name}' as a service, repository or environment name is that name, not a configured target`, () => {
      const result = COLLECTORS.flags.map(delivery({ flag: "f", action: "disabled", service: name, environment: name }), config({ defaultEnvironment: "production" }));
      assert.equal(result.kind, "events", JSON.stringify(result));
      const [event] = (result as { events: any[] }).events;
      assert.deepEqual([event.service, event.team, event.environment], [name, undefined, name.toLowerCase()]);
      const push = github("push", (e) => e.commits.length > 0);
      push.repository.full_name = `acme/${name}`;
      push.repository.name = name;
      const mapped = COLLECTORS.github.map(delivery(push, { "x-github-event": "push" }), config());
      assert.equal(mapped.kind, "events", JSON.stringify(mapped));
      assert.equal((mapped as { events: any[] }).events[0].service, name);
    });
  }
});
