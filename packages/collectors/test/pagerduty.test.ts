import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS, hmacSha256Hex, keptHeaders } from "../src/index.ts";
import { config, delivery, fixture } from "./helpers.ts";

const pagerduty = COLLECTORS.pagerduty!;
const cfg = config({ services: { PA2P440: { service: "checkout", team: "payments" } } });
const map = (payload: unknown, c = cfg) => pagerduty.map(delivery(payload, {}, "wh-1"), c);

describe("pagerduty V3 mapping", () => {
  it("maps a real incident.triggered capture to an opened incident of the configured service", () => {
    const result = map(fixture("pagerduty", "incident.triggered.zulip.json"));
    assert.equal(result.kind, "events");
    const [event] = (result as any).events;
    assert.deepEqual(
      [event.type, event.id, event.incidentId, event.status, event.service, event.team, event.environment, event.occurredAt, event.title, event.severity, event.url],
      ["incident", "pagerduty:wh-1:0", "pagerduty:PFQZPSY", "opened", "checkout", "payments", "production", "2021-06-04T13:35:29.781Z",
        "Test Incident 3", "high", "https://pig208.pagerduty.com/incidents/PFQZPSY"],
    );
  });

  it("maps a real incident.resolved capture to resolved, timed by occurred_at", () => {
    const [event] = (map(fixture("pagerduty", "incident.resolved.zulip.json")) as any).events;
    assert.deepEqual([event.status, event.occurredAt, event.service], ["resolved", "2021-06-04T13:16:53.816Z", "checkout"]);
  });

  it("falls back to PagerDuty's service name when the service is not configured", () => {
    const [event] = (map(fixture("pagerduty", "incident.triggered.zulip.json"), config()) as any).events;
    assert.equal(event.service, "pig208");
  });

  it("maps an acknowledgement with the documented incident data (priority as severity)", () => {
    // DERIVED: the docs' incident data type inside a V3 envelope (the docs give the data object alone).
    const payload = { event: { id: "01ACK", event_type: "incident.acknowledged", occurred_at: "2020-10-02T18:50:00.000Z", data: fixture("pagerduty", "data-type.incident.pd-docs.json") } };
    const [event] = (map(payload) as any).events;
    assert.deepEqual([event.status, event.severity, event.service], ["acknowledged", "P1", "API Service"]);
  });

  it("ignores documented events that do not change an incident's state", () => {
    for (const file of ["incident.priority_updated.pd-docs.json", "service.updated.pd-docs.json"]) {
      assert.equal(map(fixture("pagerduty", file)).kind, "ignored", file);
    }
  });

  it("names what is wrong with a malformed payload", () => {
    const broken = fixture("pagerduty", "incident.triggered.zulip.json");
    delete broken.event.data.id;
    assert.deepEqual((map(broken) as any).issues.map((i: any) => i.path), ["event.data.id"]);
    assert.deepEqual((map({ messages: [] }) as any).issues.map((i: any) => i.path), ["event"]);
  });

  it("verifies X-PagerDuty-Signature and uses X-Webhook-Id as the delivery id", () => {
    const body = Buffer.from(JSON.stringify(fixture("pagerduty", "incident.triggered.zulip.json")));
    const signature = `v1=${hmacSha256Hex("pd-secret", body)}`;
    assert.equal(pagerduty.verify("pd-secret", body, { "x-pagerduty-signature": signature }), true);
    assert.equal(pagerduty.verify("wrong", body, { "x-pagerduty-signature": signature }), false);
    assert.equal(pagerduty.verify("pd-secret", body, {}), false);
    assert.equal(pagerduty.deliveryHeader, "x-webhook-id");
  });
});

describe("pagerduty mapping: values and boundaries", () => {
  const triggered = () => fixture("pagerduty", "incident.triggered.zulip.json");
  const withData = (patch: object, event: object = {}) => { const p = triggered(); return { event: { ...p.event, ...event, data: { ...p.event.data, ...patch } } }; };
  const eventOf = (result: any) => { assert.equal(result.kind, "events", JSON.stringify(result)); return result.events[0]; };

  it("keeps the incident's number, PagerDuty service, agent and event id", () => {
    const event = eventOf(map(triggered()));
    assert.deepEqual([event.source, event.labels], ["pagerduty", { number: "9", pagerdutyService: "pig208", agent: "PIG 208", eventId: "01BZYIL05THJDFF2Y08X9SVMTU" }]);
  });

  it("maps incident.reopened to opened", () => {
    assert.equal(eventOf(map(withData({}, { event_type: "incident.reopened" }))).status, "opened");
  });

  it("cuts the title to 1000 characters; no title, no agent: neither kept", () => {
    assert.equal(eventOf(map(withData({ title: "t".repeat(1_001) }))).title, "t".repeat(1_000));
    const bare = eventOf(map(withData({ title: null, number: null }, { agent: null })));
    assert.deepEqual([bare.title, bare.labels], [undefined, { pagerdutyService: "pig208", eventId: "01BZYIL05THJDFF2Y08X9SVMTU" }]);
  });

  it("takes the service by its name, else its id; an incident without service is ignored, saying so", () => {
    assert.equal(eventOf(map(withData({ service: { id: "PA2P440" } }), config({ services: { PA2P440: { service: "checkout" } } }))).service, "checkout");
    assert.deepEqual(map(withData({ service: null })), { kind: "ignored", reason: "the incident names no service" });
    assert.deepEqual(map(withData({}, { event_type: "incident.annotated" })), { kind: "ignored", reason: "PagerDuty event 'incident.annotated' does not change an incident's state" });
  });

  it("names the missing or mistyped field", () => {
    const cases: Array<[unknown, string]> = [
      [withData({}, { id: undefined }), "event.id"],
      [withData({}, { agent: { summary: "no id" } }), "event.agent.id"],
      [withData({ service: { summary: "pig208" } }), "event.data.service.id"],
      [withData({ priority: { summary: 1 } }), "event.data.priority.summary"],
    ];
    for (const [payload, path] of cases) assert.deepEqual((map(payload) as any).issues?.map((i: any) => i.path), [path], path);
  });

  it("journals the webhook id, subscription and user agent, never the signature", () => {
    const headers = { "x-webhook-id": "wh-1", "x-webhook-subscription": "sub-1", "user-agent": "PagerDuty-Webhook/V3.0", "x-pagerduty-signature": "v1=00" };
    assert.deepEqual(keptHeaders(pagerduty, headers), { "x-webhook-id": "wh-1", "x-webhook-subscription": "sub-1", "user-agent": "PagerDuty-Webhook/V3.0" });
  });
});
