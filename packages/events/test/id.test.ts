import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch } from "../src/index.ts";

/**
 * Derived ids: every field that makes an event distinct changes its id, and nothing that
 * does not (key order, a retry, the spelling of a timestamp) does.
 */
const common = { occurredAt: "2026-11-20T10:00:00.000Z", service: "checkout", environment: "production", team: "payments", source: "ci" };
const EVENTS: Record<string, Record<string, unknown>> = {
  deployment: {
    type: "deployment", ...common, deploymentId: "d-42", version: "3f2c9a1", status: "succeeded", strategy: "canary", canaryWeight: 50,
    kind: "hotfix", rollsBack: "d-41", artifact: "sha256:abc", url: "https://ci.example/run/1", actor: "ana", labels: { region: "eu", zone: "b" },
    commits: [{ sha: "3f2c9a1", authoredAt: "2026-11-19T16:05:00.000Z", committedAt: "2026-11-19T16:06:00.000Z", author: "ana", message: "fix" }],
  },
  incident: { type: "incident", ...common, incidentId: "i-7", status: "opened", severity: "sev1", title: "Checkout 500s", url: "https://pd.example/i/7", causedBy: "d-42" },
  usecase: { type: "usecase", ...common, deploymentId: "d-42", version: "3f2c9a1", usecase: "pay with card", suite: "smoke", status: "fail", durationMs: 1200, error: "timeout" },
  flag: { type: "flag", ...common, flag: "new-checkout", action: "rollout", percentage: 25, actor: "ana" },
  commit: { type: "commit", ...common, sha: "3f2c9a1", repository: "acme/checkout", authoredAt: "2026-11-19T16:05:00.000Z", committedAt: "2026-11-19T16:06:00.000Z", author: "ana", message: "fix" },
};

function idOf(event: unknown): string {
  const result = parseEventBatch([event]);
  assert.ok(result.ok, JSON.stringify(result));
  return result.events[0]!.id;
}

/** Another valid value of the same kind, for a field at `path`. */
function changed(type: string, path: string, value: unknown): unknown {
  if (path.endsWith("At")) return new Date(Date.parse(value as string) + 1).toISOString();
  if (typeof value === "number") return value > 1 ? value - 1 : value + 1;
  if (path === "status" || path === "action" || path === "kind" || path === "strategy" || path === "severity") {
    const others: Record<string, string[]> = {
      status: [{ deployment: "failed", incident: "resolved", usecase: "pass" }[type]!], action: ["disabled"], kind: ["normal"], strategy: ["rolling"], severity: ["sev2"],
    };
    return others[path]!.find((other) => other !== value);
  }
  return `${value as string}x`;
}

/** Every leaf of an event, as a dotted path and its value. */
function leaves(value: unknown, prefix = ""): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${prefix}${i}.`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, `${prefix}${k}.`));
  return [[prefix.slice(0, -1), value]];
}

function withLeaf(event: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(event);
  const keys = path.split(".");
  let node: any = copy;
  for (const key of keys.slice(0, -1)) node = node[key];
  node[keys.at(-1)!] = value;
  return copy;
}

describe("derived event ids", () => {
  for (const [type, event] of Object.entries(EVENTS)) {
    const base = idOf(event);
    for (const [path, value] of leaves(event).filter(([path]) => path !== "type")) {
      it(`${type}: ${path} changes the id`, () => {
        const other = changed(type, path.split(".").at(-1)!, value);
        assert.notEqual(other, value);
        assert.notEqual(idOf(withLeaf(event, path, other)), base);
      });
    }

    it(`${type}: key order, timestamp spelling and retries keep the id`, () => {
      const reversed = (value: unknown): unknown => Array.isArray(value) ? value.map(reversed)
        : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)])) : value;
      assert.equal(idOf(reversed(event)), base);
      assert.equal(idOf({ ...event, occurredAt: "2026-11-20T12:00:00+02:00" }), base);
      assert.equal(idOf(event), base);
      assert.equal(idOf(JSON.parse(JSON.stringify(event))), base);
    });
  }

  it("a field left out differs from the same field empty or set", () => {
    const { actor: _, ...withoutActor } = EVENTS.flag!;
    assert.notEqual(idOf(withoutActor), idOf(EVENTS.flag));
    assert.notEqual(idOf(EVENTS.deployment), idOf({ ...EVENTS.deployment, commits: [] }));
    assert.notEqual(idOf(EVENTS.deployment), idOf({ ...EVENTS.deployment, labels: { region: "eu" } }));
  });

  it("labels in any key order give one id", () => {
    const labels = Object.entries({ region: "eu", zone: "b", tier: "web", cell: "7" });
    const permutations = (items: typeof labels): Array<typeof labels> =>
      items.length <= 1 ? [items] : items.flatMap((item, i) => permutations(items.filter((_, j) => j !== i)).map((rest) => [item, ...rest]));
    const ids = new Set(permutations(labels).map((order) => idOf({ ...EVENTS.deployment, labels: Object.fromEntries(order) })));
    assert.equal(ids.size, 1);
  });

  it("keeps the ids of earlier releases, so a retry across an upgrade still counts once", () => {
    // Pinned: the derived id of these events must not change (the canonical form, labels sorted ascending).
    assert.equal(idOf(EVENTS.deployment), "deployment:180934e450eb6977e35c581dd8f43c36");
    assert.equal(idOf(EVENTS.flag), "flag:d3287c56d32048f267e9899e01e21aa5");
  });

  it("events of different types with the same fields get different ids", () => {
    assert.match(idOf(EVENTS.commit), /^commit:[0-9a-f]{32}$/);
    assert.match(idOf(EVENTS.deployment), /^deployment:[0-9a-f]{32}$/);
  });
});
