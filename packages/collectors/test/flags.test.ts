import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS } from "../src/index.ts";
import { config, delivery } from "./helpers.ts";

const flags = COLLECTORS.flags!;
const cfg = config({ services: { checkout: { service: "checkout", team: "payments" } } });

describe("generic flag webhook", () => {
  it("maps a flag kill to a disabled flag event, environment names normalised", () => {
    const payload = { flag: "new-checkout", action: "disabled", service: "checkout", environment: "prd", actor: "ana", occurredAt: "2026-03-01T10:00:00+01:00" };
    const [event] = (flags.map(delivery(payload, {}, "sha256-abc"), cfg) as any).events;
    assert.deepEqual(event, {
      type: "flag", id: "flags:sha256-abc:0", source: "flags", occurredAt: "2026-03-01T09:00:00.000Z", service: "checkout", team: "payments",
      environment: "production", flag: "new-checkout", action: "disabled", actor: "ana",
    });
  });

  it("dates a change without occurredAt by its arrival, and defaults the environment", () => {
    const [event] = (flags.map(delivery({ flag: "f", action: "rollout", percentage: 25, service: "search" }), cfg) as any).events;
    assert.deepEqual([event.occurredAt, event.environment, event.percentage, event.team], ["2026-03-01T12:00:00.000Z", "production", 25, undefined]);
  });

  it("names every missing or wrong field", () => {
    const result = flags.map(delivery({ flag: "", action: "off" }), cfg) as any;
    assert.equal(result.kind, "malformed");
    assert.deepEqual(result.issues.map((i: any) => i.path).sort(), ["action", "flag", "service"]);
  });

  it("accepts the shared token in X-Drumbeat-Token or Authorization", () => {
    const body = Buffer.from("{}");
    assert.equal(flags.verify("tok", body, { "x-drumbeat-token": "tok" }), true);
    assert.equal(flags.verify("tok", body, { authorization: "Bearer tok" }), true);
    assert.equal(flags.verify("tok", body, { "x-drumbeat-token": "nope" }), false);
    assert.equal(flags.verify("tok", body, {}), false);
  });
});
