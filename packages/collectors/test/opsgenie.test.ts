import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS } from "../src/index.ts";
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
