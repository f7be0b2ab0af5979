import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS, hmacSha256Hex, keptHeaders } from "../src/index.ts";
import { config, delivery, fixture } from "./helpers.ts";

const sentry = COLLECTORS.sentry;
const cfg = config({ services: { "zulip-integration-testing": { service: "zulip", team: "chat" } } });
const map = (resource: string, file: string | object, headers: Record<string, string> = {}) =>
  sentry.map(delivery(typeof file === "string" ? fixture("sentry", file) : file, { "sentry-hook-resource": resource, ...headers }), cfg);

describe("sentry mapping", () => {
  it("maps issue created (real capture) to an opened incident at firstSeen", () => {
    const [event] = (map("issue", "issue.created.json") as any).events;
    assert.deepEqual([event.incidentId, event.status, event.service, event.team, event.occurredAt, event.severity],
      ["sentry:issue:1635244907", "opened", "zulip", "chat", "2020-04-28T13:56:05.903Z", "error"]);
  });

  it("maps issue resolved (real capture) to resolved at Sentry-Hook-Timestamp, else at arrival", () => {
    const [timed] = (map("issue", "issue.resolved.json", { "sentry-hook-timestamp": "1588233600" }) as any).events;
    assert.deepEqual([timed.status, timed.occurredAt], ["resolved", "2020-04-30T08:00:00.000Z"]);
    const [untimed] = (map("issue", "issue.resolved.json") as any).events;
    assert.equal(untimed.occurredAt, "2026-03-01T12:00:00.000Z");
  });

  it("maps both event_alert examples to the issue they fired for", () => {
    const [real] = (map("event_alert", "event_alert.triggered.python.json") as any).events;
    // The 2020 capture has no issue_id: it comes from issue_url; the slug comes from the event's API url.
    assert.deepEqual([real.incidentId, real.service, real.status, real.occurredAt], ["sentry:issue:1635244907", "zulip", "opened", "2020-04-28T13:56:05.903Z"]);
    const [docs] = (map("event_alert", "event_alert.triggered.sentry-docs.json") as any).events;
    assert.deepEqual([docs.incidentId, docs.service], ["sentry:issue:1117540176", "front-end"]);
  });

  it("maps a metric alert (documented format) and its resolution", () => {
    const critical = fixture("sentry", "metric_alert.critical.drumbeat.json");
    const [opened] = (map("metric_alert", critical) as any).events;
    assert.deepEqual([opened.incidentId, opened.status, opened.service, opened.occurredAt, opened.severity], ["sentry:metric_alert:7", "opened", "checkout-web", "2026-03-02T10:04:00.000Z", "critical"]);
    const resolved = { ...critical, action: "resolved", data: { ...critical.data, metric_alert: { ...critical.data.metric_alert, date_closed: "2026-03-02T10:40:00.000000Z" } } };
    const [closed] = (map("metric_alert", resolved) as any).events;
    assert.deepEqual([closed.status, closed.occurredAt], ["resolved", "2026-03-02T10:40:00.000Z"]);
  });

  it("ignores other resources and actions, and names a missing resource header", () => {
    assert.equal(map("installation", { action: "created" }).kind, "ignored");
    assert.equal(map("issue", { ...fixture("sentry", "issue.created.json"), action: "assigned" }).kind, "ignored");
    assert.equal((sentry.map(delivery({}), cfg) as any).issues[0].path, "headers.sentry-hook-resource");
  });

  it("verifies Sentry-Hook-Signature over the raw body", () => {
    const body = Buffer.from(JSON.stringify(fixture("sentry", "issue.created.json")));
    assert.equal(sentry.verify("client-secret", body, { "sentry-hook-signature": hmacSha256Hex("client-secret", body) }), true);
    assert.equal(sentry.verify("client-secret", body, { "sentry-hook-signature": hmacSha256Hex("other", body) }), false);
  });
});

describe("sentry mapping: values and boundaries", () => {
  const issueCreated = () => fixture("sentry", "issue.created.json");
  const pythonAlert = () => fixture("sentry", "event_alert.triggered.python.json");
  const critical = () => fixture("sentry", "metric_alert.critical.drumbeat.json");
  const withIssue = (patch: object) => { const p = issueCreated(); return { ...p, data: { issue: { ...p.data.issue, ...patch } } }; };
  const withEvent = (patch: object) => { const p = pythonAlert(); return { ...p, data: { ...p.data, event: { ...p.data.event, ...patch } } }; };
  const withAlert = (patch: object) => { const p = critical(); return { ...p, data: { ...p.data, metric_alert: { ...p.data.metric_alert, ...patch } } }; };
  const eventOf = (result: any) => { assert.equal(result.kind, "events", JSON.stringify(result)); return result.events[0]; };

  it("keeps the issue's title, level, short id and actor, under an id from the delivery", () => {
    const event = eventOf(map("issue", "issue.created.json"));
    assert.deepEqual([event.id, event.source, event.environment, event.title, event.severity, event.labels],
      ["sentry:delivery-1:0", "sentry", "production", "Exception: Custom exception!", "error", { shortId: "ZULIP-INTEGRATION-TESTING-2", actor: "Sentry" }]);
    const resolved = eventOf(map("issue", "issue.resolved.json"));
    assert.equal(resolved.labels.actor, "Hemanth V. Alluri");
  });

  it("maps issue unresolved (reopened) to opened at the hook's time; an issue without title or actor keeps neither", () => {
    const event = eventOf(map("issue", { ...issueCreated(), action: "unresolved", actor: null }, { "sentry-hook-timestamp": "1588233600" }));
    assert.deepEqual([event.status, event.occurredAt, event.labels], ["opened", "2020-04-30T08:00:00.000Z", { shortId: "ZULIP-INTEGRATION-TESTING-2" }]);
    const untitled = eventOf(map("issue", withIssue({ title: null, shortId: null })));
    assert.deepEqual([untitled.title, untitled.labels], [undefined, { actor: "Sentry" }]);
  });

  it("cuts a title to 1000 characters", () => {
    assert.equal(eventOf(map("issue", withIssue({ title: "x".repeat(1_001) }))).title, "x".repeat(1_000));
    assert.equal(eventOf(map("issue", withIssue({ title: "y".repeat(1_000) }))).title, "y".repeat(1_000));
  });

  it("uses Sentry-Hook-Timestamp only when it is a positive number, else the arrival time", () => {
    const at = (timestamp: string) => eventOf(map("issue", "issue.resolved.json", { "sentry-hook-timestamp": timestamp })).occurredAt;
    assert.equal(at("1588233600.5"), "2020-04-30T08:00:00.500Z");
    assert.equal(at("1"), "1970-01-01T00:00:01.000Z");
    for (const bad of ["0", "-1", "Infinity", "soon", ""]) assert.equal(at(bad), "2026-03-01T12:00:00.000Z", bad);
  });

  it("keeps an event alert's title, level, rule and Sentry environment", () => {
    const event = eventOf(map("event_alert", withEvent({ environment: "prod-eu" })));
    assert.deepEqual([event.title, event.severity, event.url, event.environment, event.labels],
      ["Exception: Custom exception!", "error",
        "https://sentry.io/organizations/hypro999-personal-organization/issues/1635244907/events/599349254a1447a99774b5310711c1a8/",
        "production", { rule: "Send a webhook payload to Webhook.site", sentryEnvironment: "prod-eu" }]);
    const bare = eventOf(map("event_alert", { ...withEvent({ title: null, level: null }), data: { ...withEvent({ title: null, level: null }).data, triggered_rule: null } }));
    assert.deepEqual([bare.title, bare.severity, bare.labels], [undefined, undefined, undefined]);
  });

  it("reads the event alert's issue from issue_url with or without its trailing slash, and only at its end", () => {
    const id = (issueUrl: string | null) => map("event_alert", withEvent({ issue_id: null, issue_url: issueUrl })) as any;
    assert.equal(eventOf(id("https://sentry.io/api/0/issues/42")).incidentId, "sentry:issue:42");
    assert.equal(eventOf(id("https://sentry.io/api/0/issues/42/")).incidentId, "sentry:issue:42");
    const malformed = { kind: "malformed", issues: [{ path: "data.event.issue_url", message: "names no issue (nor does data.event.issue_id)" }] };
    for (const url of ["https://sentry.io/api/0/issues/42/events/", "https://sentry.io/api/0/projects/x/", null]) assert.deepEqual(id(url), malformed, String(url));
  });

  it("names the event alert's service by its project number when its url carries no slug", () => {
    assert.equal(eventOf(map("event_alert", withEvent({ url: null }))).service, "5216640");
    assert.equal(eventOf(map("event_alert", withEvent({ url: "https://sentry.io/elsewhere" }))).service, "5216640");
  });

  it("ignores event alerts other than triggered, and names the action", () => {
    assert.deepEqual(map("event_alert", { ...pythonAlert(), action: "resolved" }), { kind: "ignored", reason: "event_alert action 'resolved' is not used" });
    assert.deepEqual(map("issue", { ...issueCreated(), action: "assigned" }), { kind: "ignored", reason: "issue action 'assigned' does not open or resolve an issue" });
    assert.deepEqual(map("metric_alert", { ...critical(), action: "unknown" }), { kind: "ignored", reason: "metric_alert action 'unknown' is not used" });
  });

  it("maps a warning metric alert to opened with severity warning; a resolution has no severity", () => {
    const warning = eventOf(map("metric_alert", { ...critical(), action: "warning" }));
    assert.deepEqual([warning.status, warning.severity], ["opened", "warning"]);
    const resolved = eventOf(map("metric_alert", { ...withAlert({ date_closed: "2026-03-02T10:40:00Z" }), action: "resolved" }));
    assert.deepEqual([resolved.status, resolved.severity], ["resolved", undefined]);
  });

  it("keeps a metric alert's title (else its description title), url, rule and Sentry environment", () => {
    const event = eventOf(map("metric_alert", withAlert({ alert_rule: { ...critical().data.metric_alert.alert_rule, environment: "prod" } })));
    assert.deepEqual([event.title, event.url, event.labels], ["Too many errors", "https://sentry.io/organizations/acme/alerts/rules/details/7/", { rule: "Too many errors", sentryEnvironment: "prod" }]);
    const untitled = eventOf(map("metric_alert", withAlert({ title: null, alert_rule: null })));
    assert.deepEqual([untitled.title, untitled.service, untitled.labels], ["Critical: Too many errors", "checkout-web", undefined]);
    const bare = { ...critical(), data: { metric_alert: { ...critical().data.metric_alert, title: null, alert_rule: null } } };
    assert.equal(eventOf(map("metric_alert", bare)).title, undefined);
  });

  it("names a metric alert's service by its first project, else its rule's; with none it is malformed", () => {
    assert.equal(eventOf(map("metric_alert", withAlert({ projects: ["billing", "other"], alert_rule: { projects: ["rule-project"] } }))).service, "billing");
    assert.equal(eventOf(map("metric_alert", withAlert({ projects: null, alert_rule: { projects: ["rule-project"] } }))).service, "rule-project");
    const malformed = { kind: "malformed", issues: [{ path: "data.metric_alert.projects", message: "names no project" }] };
    for (const patch of [{ projects: null, alert_rule: null }, { projects: [], alert_rule: { name: "r" } }, { projects: undefined, alert_rule: { projects: [] } }]) {
      assert.deepEqual(map("metric_alert", withAlert(patch)), malformed, JSON.stringify(patch));
    }
  });

  it("times a metric alert by its detection, else its start, else the hook's time", () => {
    assert.equal(eventOf(map("metric_alert", withAlert({ date_detected: null }))).occurredAt, "2026-03-02T10:04:00.000Z");
    assert.equal(eventOf(map("metric_alert", withAlert({ date_detected: null, date_started: null }), { "sentry-hook-timestamp": "1772445600" })).occurredAt, "2026-03-02T10:00:00.000Z");
  });

  it("names the missing or mistyped field of each resource's payload", () => {
    const cases: Array<[string, unknown, string]> = [
      ["issue", { data: issueCreated().data }, "action"],
      ["issue", { action: "created" }, "data"],
      ["issue", { action: "created", data: {} }, "data.issue"],
      ["issue", withIssue({ id: undefined }), "data.issue.id"],
      ["issue", withIssue({ firstSeen: undefined }), "data.issue.firstSeen"],
      ["issue", withIssue({ project: {} }), "data.issue.project.slug"],
      ["issue", { ...issueCreated(), actor: { name: 7 } }, "actor.name"],
      ["event_alert", { data: pythonAlert().data }, "action"],
      ["event_alert", { action: "triggered", data: {} }, "data.event"],
      ["event_alert", withEvent({ datetime: undefined }), "data.event.datetime"],
      ["event_alert", { action: "triggered" }, "data"],
      ["metric_alert", { data: critical().data }, "action"],
      ["metric_alert", { action: "critical" }, "data"],
      ["metric_alert", { action: "critical", data: {} }, "data.metric_alert"],
      ["metric_alert", withAlert({ id: undefined }), "data.metric_alert.id"],
      ["metric_alert", withAlert({ alert_rule: { name: 7 } }), "data.metric_alert.alert_rule.name"],
    ];
    for (const [resource, payload, path] of cases) {
      const result = map(resource, payload as object) as any;
      assert.equal(result.kind, "malformed", `${resource} ${path}`);
      assert.deepEqual(result.issues.map((issue: any) => issue.path), [path], `${resource} ${path}`);
    }
  });

  it("names the resource header when it is missing, and an unused resource in the reason", () => {
    assert.deepEqual(sentry.map(delivery({}), cfg), { kind: "malformed", issues: [{ path: "headers.sentry-hook-resource", message: "missing: Sentry names the resource in this header" }] });
    assert.deepEqual(map("installation", { action: "created" }), { kind: "ignored", reason: "Sentry resource 'installation' is not used" });
  });

  it("journals the resource, timestamp, request id and user agent, never the signature", () => {
    const headers = { "sentry-hook-resource": "issue", "sentry-hook-timestamp": "1588233600", "request-id": "r-1", "user-agent": "sentry", "sentry-hook-signature": "secret-derived", "content-type": "application/json" };
    assert.deepEqual(keptHeaders(sentry, headers), { "sentry-hook-resource": "issue", "sentry-hook-timestamp": "1588233600", "request-id": "r-1", "user-agent": "sentry" });
  });
});
