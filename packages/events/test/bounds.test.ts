import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch, type DrumbeatEvent } from "../src/index.ts";

const common = { occurredAt: "2026-11-20T10:00:00Z", service: "checkout", environment: "production" };
const deployment = { type: "deployment", ...common, deploymentId: "d-42", version: "3f2c9a1", status: "succeeded" };
const usecase = { type: "usecase", ...common, deploymentId: "d-42", usecase: "pay", status: "pass" };

function parsed(item: unknown): DrumbeatEvent {
  const result = parseEventBatch([item]);
  assert.ok(result.ok, JSON.stringify(result));
  return result.events[0]!;
}
const issuePaths = (item: unknown) => {
  const result = parseEventBatch([item]);
  return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
};

describe("event bounds: what the store can hold", () => {
  it("stores a lone UTF-16 surrogate well-formed, as U+FFFD, in every string field", () => {
    const event = parsed({
      ...deployment, service: "pay\ud800", team: "\udfff", actor: "a\ud800b", labels: { "k\ud800": "v\udc00" },
      commits: [{ sha: "3f2c9a1", authoredAt: "2026-11-19T16:05:00Z", message: "fix \ud83d", author: "\ude00" }],
    }) as any;
    assert.deepEqual([event.service, event.team, event.actor, event.commits[0].message, event.commits[0].author], ["pay\ufffd", "\ufffd", "a\ufffdb", "fix \ufffd", "\ufffd"]);
    assert.deepEqual(event.labels, { "k\ufffd": "v\ufffd" });
    // A well-formed pair stays as it is.
    assert.equal((parsed({ ...deployment, actor: "ana \ud83d\ude00" }) as any).actor, "ana \ud83d\ude00");
    // The id derives from the stored form: the same event sent twice keeps one id.
    assert.equal(parsed({ ...deployment, service: "pay\ud800" }).id, parsed({ ...deployment, service: "pay\ud800" }).id);
  });

  it("accepts times from 1970-01-01 to before 2100-01-01 (UTC), and names the field outside", () => {
    for (const at of ["1970-01-01T00:00:00Z", "2099-12-31T23:59:59.999Z", "2100-01-01T00:59:59+01:00"]) assert.deepEqual(issuePaths({ ...deployment, occurredAt: at }), [], at);
    for (const at of ["0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2100-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]) {
      const issues = issuePaths({ ...deployment, occurredAt: at });
      assert.equal(issues.length, 1, at);
      assert.match(issues[0]!, /^occurredAt: .*1970-01-01T00:00:00Z.*2100-01-01T00:00:00Z/, at);
    }
    assert.match(issuePaths({ ...deployment, commits: [{ sha: "3f2c9a1", authoredAt: "0001-01-01T00:00:00Z" }] })[0]!, /^commits\.0\.authoredAt: /);
  });

  it("bounds durationMs to the width of its column (UInt32)", () => {
    assert.equal((parsed({ ...usecase, durationMs: 4_294_967_295 }) as any).durationMs, 4_294_967_295);
    for (const durationMs of [4_294_967_296, 4_294_967_297]) assert.match(issuePaths({ ...usecase, durationMs })[0]!, /^durationMs: .*4294967295/);
  });
});
