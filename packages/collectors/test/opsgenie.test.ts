import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS, keptHeaders } from "../src/index.ts";
import { config, delivery, fixture } from "./helpers.ts";

const opsgenie = COLLECTORS.opsgenie;
const cfg = config({ services: { Server: { service: "api", team: "core" } } });
const map = (payload: unknown) => opsgenie.map(delivery(payload), cfg);

describe("opsgenie mapping over real alert captures", () => {
  it("maps Create to an opened incident of the entity's service, dated by createdAt (ms)", () => {
    const [event] = (map(fixture("opsgenie", "alert.create.json")) as any).events;
    assert.deepEqual(
      [event.type, event.incidentId, event.status, event.service, event.team, event.occurredAt, event.severity, event.title],
      ["incident", "opsgenie:ec03dad6-62c8-4c94-b38b-d88f398e900f", "opened", "api", "core", "2017-08-14T11:25:56.288Z", "P3", "another alert"],
    );
  });

  it("dates Acknowledge and Close by updatedAt (nanoseconds) when they name a service", () => {
    // The older real captures name no service (empty entity, no service: tag): nothing to attach them to.
    const ack = fixture("opsgenie", "alert.acknowledge.json");
    assert.match((map(ack) as any).reason, /names no service/);
    // DERIVED: the same acknowledgement with the entity of the created alert.
    const [acked] = (map({ ...ack, alert: { ...ack.alert, entity: "Server" } }) as any).events;
    assert.deepEqual([acked.status, acked.service, acked.occurredAt], ["acknowledged", "api", "2015-01-05T10:03:44.764Z"]);
    const close = fixture("opsgenie", "alert.close.json");
    assert.match((map(close) as any).reason, /names no service/);
    // DERIVED: the same close, tagged with its service.
    const [closed] = (map({ ...close, alert: { ...close.alert, tags: ["service:api"] } }) as any).events;
    assert.deepEqual([closed.status, closed.service, closed.occurredAt], ["resolved", "api", "2015-01-05T10:06:14.669Z"]);
  });

  it("ignores other actions and names malformed fields", () => {
    assert.equal(map({ ...fixture("opsgenie", "alert.create.json"), action: "AddNote" }).kind, "ignored");
    assert.deepEqual((map({ action: "Create", alert: { alertId: "x" } }) as any).issues.map((i: any) => i.path), ["alert.createdAt"]);
  });
});

describe("opsgenie mapping: values and boundaries", () => {
  const create = () => fixture("opsgenie", "alert.create.json");
  const ack = () => { const payload = fixture("opsgenie", "alert.acknowledge.json"); return { ...payload, alert: { ...payload.alert, entity: "Server" } }; };
  const withAlert = (payload: any, patch: object) => ({ ...payload, alert: { ...payload.alert, ...patch } });
  const eventOf = (result: any) => { assert.equal(result.kind, "events", JSON.stringify(result)); return result.events[0]; };

  it("keeps the alert's id, tiny id, alias and user", () => {
    const event = eventOf(map(create()));
    assert.deepEqual([event.id, event.source, event.environment, event.labels],
      ["opsgenie:delivery-1:0", "opsgenie", "production", { tinyId: "2", alias: "alert-alias", actor: "test@example.com" }]);
  });

  it("dates a Create by createdAt even when updated later; an acknowledgement without updatedAt by createdAt", () => {
    // DERIVED: the real Create, updated an hour later.
    assert.equal(eventOf(map(withAlert(create(), { updatedAt: 1502713556288000000 }))).occurredAt, "2017-08-14T11:25:56.288Z");
    assert.equal(eventOf(map(withAlert(ack(), { updatedAt: null }))).occurredAt, "2015-01-05T10:03:11.104Z");
    assert.equal(eventOf(map(ack())).occurredAt, "2015-01-05T10:03:44.764Z");
  });

  it("takes the service from the service: tag wherever it is among the tags, else from the entity", () => {
    assert.equal(eventOf(map(withAlert(create(), { tags: ["vip", "service:Server", "team:x"], entity: "other" }))).service, "api");
    assert.equal(eventOf(map(withAlert(create(), { tags: null }))).service, "api");
    assert.deepEqual(map(withAlert(create(), { tags: ["vip"], entity: null })), { kind: "ignored", reason: "the alert names no service: add a tag service:<name> or set its entity" });
  });

  it("writes a numeric priority as P<n>, keeps a named one, and has no severity without one", () => {
    const severity = (priority: unknown) => eventOf(map(withAlert(create(), { priority }))).severity;
    assert.deepEqual([severity(1), severity("P2"), severity(null), severity(undefined)], ["P1", "P2", undefined, undefined]);
  });

  it("cuts the message to 1000 characters as the title; no message, no title", () => {
    assert.equal(eventOf(map(withAlert(create(), { message: "m".repeat(1_001) }))).title, "m".repeat(1_000));
    assert.equal(eventOf(map(withAlert(create(), { message: null }))).title, undefined);
  });

  it("names an action that changes no state", () => {
    assert.deepEqual(map({ ...create(), action: "AddNote" }), { kind: "ignored", reason: "Opsgenie action 'AddNote' does not change an alert's state" });
  });

  it("journals the user agent only, never the token; takes the token from X-Drumbeat-Token or Authorization", () => {
    assert.deepEqual(keptHeaders(opsgenie, { "user-agent": "Opsgenie", "x-drumbeat-token": "t0ken", authorization: "Bearer t0ken" }), { "user-agent": "Opsgenie" });
    const body = Buffer.from("{}");
    assert.equal(opsgenie.verify("t0ken", body, { "x-drumbeat-token": "t0ken" }), true);
    assert.equal(opsgenie.verify("t0ken", body, { authorization: "Bearer t0ken" }), true);
    assert.equal(opsgenie.verify("t0ken", body, { "x-drumbeat-token": "other" }), false);
    assert.equal(opsgenie.verify("t0ken", body, {}), false);
  });
});
