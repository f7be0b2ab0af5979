import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS, hmacSha256Hex } from "../src/index.ts";
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
