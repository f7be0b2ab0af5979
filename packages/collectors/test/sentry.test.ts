import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS, hmacSha256Hex } from "../src/index.ts";
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
