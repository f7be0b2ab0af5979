import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EVENT_TYPES, parseEventBatch } from "@drumbeat/events";
import { generateDemo } from "../src/demo/generate.ts";

const end = new Date("2026-11-20T12:34:00Z");
const options = { seed: 42, days: 30, services: 8, end };

describe("demo generator", () => {
  const events = generateDemo(options);
  const deployments = events.filter((e) => e.type === "deployment") as any[];

  it("produces valid events of every type, with unique ids, none after its end", () => {
    const batch = parseEventBatch(events);
    assert.ok(batch.ok, batch.ok ? "" : JSON.stringify(batch.issues.slice(0, 3)));
    assert.deepEqual(new Set(events.map((e) => e.type)), new Set(EVENT_TYPES));
    assert.equal(new Set(events.map((e) => e.id)).size, events.length);
    assert.ok(events.every((e) => Date.parse(e.occurredAt) <= end.getTime()));
  });

  it("is deterministic for a seed, and another seed gives another history", () => {
    assert.deepEqual(generateDemo(options), events);
    const other = generateDemo({ ...options, seed: 7 });
    assert.ok(!other.some((e) => events.some((mine) => mine.id === e.id)));
  });

  it("keeps a service's history when services are added", () => {
    const fewer = generateDemo({ ...options, services: 2 });
    const services = new Set(fewer.map((e) => e.service));
    assert.deepEqual(fewer, events.filter((e) => services.has(e.service)));
  });

  it("promotes one artifact staging -> production, steps canaries 10/50/100, remediates failures", () => {
    const byId = new Map<string, any[]>();
    for (const d of deployments) byId.set(d.deploymentId, [...(byId.get(d.deploymentId) ?? []), d]);
    const staging = deployments.find((d) => d.environment === "staging" && byId.has(d.deploymentId.replace(/-staging$/, "-production")));
    const production = byId.get(staging.deploymentId.replace(/-staging$/, "-production"))![0];
    assert.deepEqual([production.version, production.artifact], [staging.version, staging.artifact]);
    assert.ok(Date.parse(staging.occurredAt) < Date.parse(production.occurredAt));

    const weights = new Set(deployments.filter((d) => d.strategy === "canary" && d.canaryWeight !== undefined).map((d) => d.canaryWeight));
    assert.deepEqual([...weights].sort((a, b) => a - b), [10, 50, 100]);
    const rollback = deployments.find((d) => d.kind === "rollback");
    assert.ok(rollback && byId.get(rollback.rollsBack)?.some((d) => d.status === "rolled_back"));
    assert.ok(deployments.some((d) => d.kind === "hotfix"));
    assert.ok(deployments.some((d) => d.status === "failed"));
    assert.ok(events.some((e: any) => e.type === "flag" && e.action === "disabled"));
    assert.ok(events.some((e: any) => e.type === "incident" && e.causedBy));
    for (const d of deployments.filter((x) => x.commits)) {
      for (const c of d.commits) assert.ok(Date.parse(c.authoredAt) < Date.parse(d.occurredAt), `${d.id}: commit after deploy`);
    }
  });

  it("has realistic proportions: ~10-15% failing production deployments, elite and struggling services", () => {
    const finals = new Map<string, any>();
    for (const d of deployments) if (d.environment === "production" && d.status !== "started") finals.set(d.deploymentId, d);
    const all = [...finals.values()];
    const failing = all.filter((d) => d.status !== "succeeded" || d.kind);
    const share = failing.length / all.length;
    assert.ok(share > 0.06 && share < 0.2, `failing share ${share}`);
    const perService = (service: string) => all.filter((d) => d.service === service).length;
    assert.ok(perService("checkout") > 4 * perService("legacy-billing"), `${perService("checkout")} vs ${perService("legacy-billing")}`);
    const saturdays = all.filter((d) => new Date(d.occurredAt).getUTCDay() === 6 && !d.kind);
    assert.ok(saturdays.length < all.length / 20);
  });

  it("breaks use cases at a deployment and fixes them later, and has one flaky use case", () => {
    const results = events.filter((e) => e.type === "usecase") as any[];
    const statuses = (service: string, usecase: string) => results.filter((r) => r.service === service && r.usecase === usecase).map((r) => r.status).join("");
    const flapping = statuses("checkout", "apply coupon");
    assert.match(flapping, /passfail.*pass.*fail/);
    const series = [...new Set(results.map((r) => `${r.service}|${r.usecase}`))].map((key) => statuses(...(key.split("|") as [string, string])));
    assert.ok(series.some((s) => /passfail(fail)*pass/.test(s)), "a use case that broke and was fixed");
  });
});
