import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { deliveryIdOf, eventIdOf, keptHeaders, type Collector } from "../src/index.ts";
import { mapByHeader } from "../src/collector.ts";
import { defined, firstPresent, fromEpochMs, labels, own, present } from "../src/fields.ts";
import { MalformedPayload, collect, ignored, mapped, readPayload } from "../src/result.ts";
import { environmentOf, repositoryTarget, serviceTarget, targetFields } from "../src/targets.ts";
import { z } from "zod";
import { config, delivery } from "./helpers.ts";

/** What every mapping shares: names to targets, loose payload values, delivery and event ids, results. */
describe("environment names", () => {
  const cfg = config({ environments: { "qa-eu": "staging", Canary: "production" }, defaultEnvironment: "sandbox" });
  const cases: Array<[string | null | undefined, string | null | undefined, string]> = [
    [" Prod ", undefined, "production"],
    ["LIVE", undefined, "production"],
    ["stg", undefined, "staging"],
    ["dev", undefined, "development"],
    ["QA-EU", undefined, "staging"], // configured names match in any case
    ["Canary", undefined, "production"], // and as written in the configuration
    [" EU-1 ", undefined, "eu-1"], // unknown: the name itself, trimmed and lower-case
    ["eu-1", "production", "production"], // unknown name, known fallback (GitLab's tier)
    ["eu-1", "Tier-X", "eu-1"], // unknown fallback: the name
    ["staging", "production", "staging"], // a known name wins over the fallback
    ["  ", " Staging ", "staging"],
    [null, " QA ", "qa"],
    [null, " prod ", "production"], // the fallback is trimmed before it is looked up
    ["eu-dev-1", "development", "development"], // GitLab's development tier
    [undefined, "  ", "sandbox"],
    [null, null, "sandbox"],
    ["constructor", undefined, "constructor"],
  ];
  for (const [name, fallback, expected] of cases) {
    it(`${JSON.stringify(name)} (fallback ${JSON.stringify(fallback)}) is ${expected}`, () => assert.equal(environmentOf(cfg, name, fallback), expected));
  }
});

describe("repositories and services as targets", () => {
  const cfg = config({ repositories: { "acme/shop": { service: "shop-api", team: "retail" } }, services: { "Checkout API": { service: "checkout" } } });

  it("finds a repository as configured or in lower case, else names the service after it", () => {
    assert.deepEqual(repositoryTarget(cfg, "acme/shop"), { service: "shop-api", team: "retail" });
    assert.deepEqual(repositoryTarget(cfg, "Acme/Shop"), { service: "shop-api", team: "retail" });
    assert.deepEqual(repositoryTarget(cfg, "acme/search"), { service: "search" });
    assert.deepEqual(repositoryTarget(cfg, "search"), { service: "search" });
    assert.deepEqual(repositoryTarget(cfg, "acme/"), { service: "acme/" });
    assert.deepEqual(repositoryTarget(cfg, "__proto__"), { service: "__proto__" });
  });

  it("takes the first configured name of a service, else the first present one", () => {
    assert.deepEqual(serviceTarget(cfg, "P123", "Checkout API"), { service: "checkout" });
    assert.deepEqual(serviceTarget(cfg, "  ", undefined, "pig208", "other"), { service: "pig208" });
    assert.equal(serviceTarget(cfg), undefined);
  });

  it("gives an event its team only when the target has one", () => {
    assert.deepEqual(targetFields({ service: "shop", team: "retail" }), { service: "shop", team: "retail" });
    const bare = targetFields({ service: "shop" });
    assert.deepEqual(bare, { service: "shop" });
    assert.equal("team" in bare, false);
  });
});

describe("loose payload values", () => {
  it("keeps strings with content only", () => {
    assert.deepEqual(["a", " a ", "", "  ", null, undefined].map(present), ["a", " a ", undefined, undefined, undefined, undefined]);
    assert.equal(firstPresent(null, "", " ", "b", "c"), "b");
    assert.equal(firstPresent(undefined, " "), undefined);
    assert.equal(firstPresent(), undefined);
  });

  it("drops undefined fields only", () => {
    assert.deepEqual(defined({ a: undefined, b: null, c: 0, d: "", e: false }), { b: null, c: 0, d: "", e: false });
  });

  it("makes labels of present values, as strings, and none when nothing is present", () => {
    assert.deepEqual(labels({ a: null, b: undefined, c: "", d: 0, e: "x", f: 12.5 }), { d: "0", e: "x", f: "12.5" });
    assert.equal(labels({ a: null, b: "" }), undefined);
    assert.equal(labels({}), undefined);
  });

  it("reads a table's own keys only", () => {
    const table = { a: 1 };
    assert.equal(own(table, "a"), 1);
    for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty", "b"]) assert.equal(own(table, key), undefined, key);
  });

  it("writes epoch milliseconds as UTC", () => {
    assert.equal(fromEpochMs(0), "1970-01-01T00:00:00.000Z");
    assert.equal(fromEpochMs(1_763_633_000_123), "2025-11-20T10:03:20.123Z");
  });
});

describe("delivery and event ids", () => {
  const withHeader = { deliveryHeader: "x-delivery" } as Collector;
  const without = {} as Collector;
  const body = Buffer.from('{"a":1}');
  const bodyHash = `sha256-${createHash("sha256").update(body).digest("hex")}`;

  it("takes the tool's delivery id, trimmed and at most 200 characters, else the body's hash", () => {
    assert.equal(deliveryIdOf(withHeader, { "x-delivery": " abc " }, body), "abc");
    assert.equal(deliveryIdOf(withHeader, { "x-delivery": "x".repeat(250) }, body), "x".repeat(200));
    assert.equal(deliveryIdOf(withHeader, { "x-delivery": "  " }, body), bodyHash);
    assert.equal(deliveryIdOf(withHeader, {}, body), bodyHash);
    assert.equal(deliveryIdOf(without, { "x-delivery": "abc" }, body), bodyHash);
    assert.notEqual(deliveryIdOf(without, {}, Buffer.from('{"a":2}')), bodyHash);
  });

  it("numbers the events of a delivery", () => {
    const d = delivery({}, {}, "d-7");
    assert.deepEqual([eventIdOf("github", d), eventIdOf("github", d, 0), eventIdOf("gitlab", d, 3)], ["github:d-7:0", "github:d-7:0", "gitlab:d-7:3"]);
  });

  it("keeps the collector's headers that came, empty ones too, and nothing else", () => {
    const collector = { headers: ["x-a", "x-b", "x-c"] } as unknown as Collector;
    assert.deepEqual(keptHeaders(collector, { "x-a": "1", "x-b": "", "x-d": "4", authorization: "secret" }), { "x-a": "1", "x-b": "" });
  });
});

describe("mapping results", () => {
  const map = mapByHeader("x-kind", "Tool", "event", { deploy: () => ignored("mapped") });

  it("picks the mapping by header; a kind without one is ignored, no header is malformed", () => {
    assert.deepEqual(map(delivery({}, { "x-kind": "deploy" }), config()), { kind: "ignored", reason: "mapped" });
    assert.deepEqual(map(delivery({}, { "x-kind": "push" }), config()), { kind: "ignored", reason: "Tool event 'push' is not used" });
    assert.deepEqual(map(delivery({}, { "x-kind": "constructor" }), config()), { kind: "ignored", reason: "Tool event 'constructor' is not used" });
    for (const headers of [{}, { "x-kind": "" }] as Array<Record<string, string>>) {
      assert.deepEqual(map(delivery({}, headers), config()), { kind: "malformed", issues: [{ path: "headers.x-kind", message: "missing: Tool names the event in this header" }] });
    }
  });

  it("names a payload's problems by their path, under the part the mapping read", () => {
    const Schema = z.object({ a: z.object({ b: z.number() }) });
    assert.deepEqual(readPayload(Schema, { a: { b: 1 } }), { a: { b: 1 } });
    const paths = (at?: string) => {
      try {
        readPayload(Schema, { a: { b: "x" } }, at);
        return [];
      } catch (error) {
        assert.ok(error instanceof MalformedPayload);
        return error.issues.map((issue) => issue.path);
      }
    };
    assert.deepEqual(paths(), ["a.b"]);
    assert.deepEqual(paths("app"), ["app.a.b"]);
    const error = new MalformedPayload([{ path: "a.b", message: "bad" }, { path: "", message: "worse" }]);
    assert.equal(error.message, "a.b: bad; (payload): worse");
  });

  it("turns a malformed payload into a result and lets every other error through", () => {
    assert.deepEqual(collect(() => { throw new MalformedPayload([{ path: "x", message: "m" }]); }), { kind: "malformed", issues: [{ path: "x", message: "m" }] });
    assert.throws(() => collect(() => { throw new TypeError("bug"); }), TypeError);
  });

  it("names a mapped event's problems by its index and field", () => {
    const deployment = { type: "deployment" as const, occurredAt: "2026-11-20T10:00:00Z", service: "s", environment: "e", deploymentId: "d", version: "v", status: "succeeded" as const };
    const ok = mapped([deployment]);
    assert.equal(ok.kind, "events");
    assert.deepEqual(mapped([deployment, { ...deployment, service: "" }, { ...deployment, extra: 1 } as never]), {
      kind: "malformed",
      issues: [
        { path: "events.1.service", message: "Too small: expected string to have >=1 characters" },
        { path: "events.2", message: 'Unrecognized key: "extra"' },
      ],
    });
  });

  it("quotes payload values in an ignored reason well-formed", () => {
    assert.deepEqual(ignored("action 'x\ud800' is not used"), { kind: "ignored", reason: "action 'x\ufffd' is not used" });
  });
});
