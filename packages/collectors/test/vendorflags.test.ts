import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COLLECTORS, hmacSha256Hex } from "../src/index.ts";
import { config, delivery, fixture } from "./helpers.ts";

const cfg = config({ services: { shop: { service: "checkout", team: "payments" } } });

describe("unleash webhook addon", () => {
  const unleash = COLLECTORS.unleash;
  const disabled = () => fixture("flags", "unleash.feature-environment-disabled.drumbeat.json");

  it("maps feature-environment-disabled to a flag kill of the project's service", () => {
    const [event] = (unleash.map(delivery(disabled()), cfg) as any).events;
    assert.deepEqual([event.type, event.flag, event.action, event.service, event.team, event.environment, event.occurredAt, event.actor],
      ["flag", "new-checkout", "disabled", "checkout", "payments", "production", "2026-03-02T11:30:00.000Z", "ana@example.com"]);
  });

  it("maps enabling and a gradual-rollout change, ignores the rest", () => {
    assert.equal((unleash.map(delivery({ ...disabled(), type: "feature-environment-enabled" }), cfg) as any).events[0].action, "enabled");
    const rollout = { ...disabled(), type: "feature-strategy-update", data: { name: "flexibleRollout", parameters: { rollout: "25", stickiness: "default" } } };
    const [event] = (unleash.map(delivery(rollout), cfg) as any).events;
    assert.deepEqual([event.action, event.percentage], ["rollout", 25]);
    assert.equal(unleash.map(delivery({ ...disabled(), type: "feature-tagged" }), cfg).kind, "ignored");
  });
});

describe("launchdarkly webhook", () => {
  const launchdarkly = COLLECTORS.launchdarkly;
  const turnedOff = () => fixture("flags", "launchdarkly.flag-turned-off.drumbeat.json");

  it("maps a flag turned off in an environment to a flag kill, dated by the entry", () => {
    const [event] = (launchdarkly.map(delivery(turnedOff()), cfg) as any).events;
    assert.deepEqual([event.flag, event.action, event.service, event.environment, event.occurredAt, event.actor],
      ["new-checkout", "disabled", "checkout", "production", new Date(1772451000000).toISOString(), "ana@example.com"]);
  });

  it("ignores changes that do not toggle a flag and verifies X-LD-Signature", () => {
    assert.equal(launchdarkly.map(delivery({ ...turnedOff(), accesses: [{ action: "updateName", resource: "proj/shop:env/production:flag/new-checkout" }] }), cfg).kind, "ignored");
    assert.equal(launchdarkly.map(delivery({ ...turnedOff(), kind: "member" }), cfg).kind, "ignored");
    const body = Buffer.from(JSON.stringify(turnedOff()));
    assert.equal(launchdarkly.verify("ld", body, { "x-ld-signature": hmacSha256Hex("ld", body) }), true);
    assert.equal(launchdarkly.verify("ld", body, {}), false);
  });
});
