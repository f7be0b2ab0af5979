import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch, type DrumbeatEvent } from "@drumbeat/events";
import { InvalidCursorError, getDeployment, listDeployments, listIncidents, listServices, migrate, pendingMigrations, writeEvents, type Store } from "../src/index.ts";
import { testBackend } from "./backend.ts";
import { openTestStore } from "./helpers.ts";

function events(items: unknown[]): DrumbeatEvent[] {
  const parsed = parseEventBatch(items);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.events;
}

const base = { service: "checkout", environment: "production", team: "payments" };

describe(`store (${testBackend})`, () => {
  let store: Store;
  let dispose: () => Promise<void>;
  before(async () => ({ store, dispose } = await openTestStore("store")));
  after(() => dispose());

  it("runs migrations twice as a no-op", async () => {
    const again = await migrate(store);
    assert.deepEqual(again.applied, []);
    assert.ok(again.alreadyApplied >= 5);
    assert.deepEqual(await pendingMigrations(store), []);
  });

  it("folds a deployment's lifecycle into its current state, with commits", async () => {
    const written = await writeEvents(store, events([
      { type: "deployment", ...base, deploymentId: "d-1", version: "aaa111", status: "started", occurredAt: "2026-11-20T10:00:00Z",
        commits: [{ sha: "aaa111", authoredAt: "2026-11-19T16:05:00Z", author: "ana" }, { sha: "bbb222", authoredAt: "2026-11-19T12:00:00+02:00" }] },
      { type: "deployment", ...base, deploymentId: "d-1", version: "aaa111", status: "succeeded", occurredAt: "2026-11-20T10:05:00Z" },
    ]));
    assert.deepEqual([written.accepted, written.duplicates], [2, 0]);
    const detail = await getDeployment(store, "d-1");
    assert.ok(detail);
    assert.equal(detail.status, "succeeded");
    assert.equal(detail.startedAt, "2026-11-20T10:00:00.000Z");
    assert.equal(detail.statusAt, "2026-11-20T10:05:00.000Z");
    assert.deepEqual(detail.events.map((e) => e.status), ["started", "succeeded"]);
    assert.deepEqual(detail.commits.map((c) => [c.sha, c.authoredAt, c.committedAt]), [
      ["aaa111", "2026-11-19T16:05:00.000Z", null],
      ["bbb222", "2026-11-19T10:00:00.000Z", null],
    ]);
  });

  it("shows each lifecycle event once when a retried insert stored its rows twice", async () => {
    // What a load retried after a crash leaves until the engine merges the parts.
    await store.command("test.repeatInsert", "INSERT INTO deployment_events SELECT * FROM deployment_events WHERE deployment_id = 'd-1'");
    const detail = await getDeployment(store, "d-1");
    assert.deepEqual(detail?.events.map((e) => e.status), ["started", "succeeded"]);
  });

  it("lists each deployment with its canary steps, commit authors and lead time", async () => {
    const canary = (status: string, minute: number, canaryWeight?: number) => ({
      type: "deployment", ...base, service: "listing", deploymentId: "c-1", version: "v9", status, strategy: "canary",
      occurredAt: `2026-11-20T12:${String(minute).padStart(2, "0")}:00Z`, ...(canaryWeight === undefined ? {} : { canaryWeight }),
      ...(minute === 0 ? { commits: [
        { sha: "c0ffee01", authoredAt: "2026-11-20T09:00:00Z", author: "zoe" },
        { sha: "c0ffee02", authoredAt: "2026-11-20T11:00:00Z", author: "ana" },
        { sha: "c0ffee03", authoredAt: "2026-11-20T11:30:00Z", author: "zoe" },
        { sha: "c0ffee04", authoredAt: "2026-11-20T11:40:00Z" },
      ] } : {}),
    });
    // three weighted steps before the end; the final 100% is the success, not a step; a retry of a step counts once
    const lifecycle = [canary("started", 0), canary("started", 1, 10), canary("started", 2, 50), canary("started", 3, 80), { ...canary("succeeded", 5, 100), strategy: undefined }];
    await writeEvents(store, events(lifecycle));
    await writeEvents(store, events([lifecycle[2]]));
    await writeEvents(store, events([
      { type: "deployment", ...base, service: "listing", deploymentId: "c-2", version: "v10", status: "failed", occurredAt: "2026-11-20T13:00:00Z",
        commits: [{ sha: "c0ffee05", authoredAt: "2026-11-20T12:30:00Z", author: "ben" }] },
      { type: "deployment", ...base, service: "listing", deploymentId: "c-3", version: "v11", status: "succeeded", occurredAt: "2026-11-20T14:00:00Z" },
    ]));
    const { deployments } = await listDeployments(store, { service: "listing" });
    assert.deepEqual(deployments.map((d) => [d.deploymentId, d.canarySteps, d.authors, d.leadTimeSeconds]), [
      ["c-3", 0, [], null], // no commits named: no lead time
      ["c-2", 0, ["ben"], null], // failed: never reached production
      ["c-1", 3, ["ana", "zoe"], 3 * 3600 + 5 * 60], // 09:00 authored, 12:05 succeeded
    ]);
    assert.equal(deployments[2]?.startedAt, "2026-11-20T12:00:00.000Z");
    assert.equal(deployments[2]?.strategy, "canary", "named by its steps, not by its final event");
  });

  it("writes the same events once, however often they are sent", async () => {
    const catalogued = async () => (await listServices(store)).services.find((s) => s.service === "checkout");
    const before = (await catalogued())?.events ?? 0;
    const batch = events([
      { type: "deployment", ...base, deploymentId: "d-2", version: "ccc333", status: "succeeded", occurredAt: "2026-11-21T09:00:00Z" },
      { type: "incident", ...base, incidentId: "i-1", status: "opened", occurredAt: "2026-11-21T09:30:00Z", causedBy: "d-2" },
    ]);
    const first = await writeEvents(store, batch);
    const second = await writeEvents(store, [...batch, ...batch]);
    assert.deepEqual([first.accepted, first.duplicates], [2, 0]);
    assert.deepEqual([second.accepted, second.duplicates], [0, 4]);
    const { deployments } = await listDeployments(store, { service: "checkout" });
    assert.equal(deployments.filter((d) => d.deploymentId === "d-2").length, 1);
    // The catalog counts them once too (clickhouse/0075), and has the latest.
    const checkout = await catalogued();
    assert.equal(checkout?.events, before + 2);
    assert.ok(checkout!.lastEventAt >= "2026-11-21T09:30:00.000Z", checkout!.lastEventAt);
  });

  it("pages newest first with a cursor and filters by status", async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      type: "deployment", service: "search", environment: "staging", deploymentId: `s-${i}`, version: `v${i}`,
      status: i === 3 ? "failed" : "succeeded", occurredAt: `2026-11-0${i + 1}T08:00:00Z`,
    }));
    await writeEvents(store, events(many));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listDeployments(store, { service: "search", limit: 3, cursor });
      seen.push(...page.deployments.map((d) => d.deploymentId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, ["s-6", "s-5", "s-4", "s-3", "s-2", "s-1", "s-0"]);
    const failed = await listDeployments(store, { service: "search", status: "failed" });
    assert.deepEqual(failed.deployments.map((d) => d.deploymentId), ["s-3"]);
    const none = await listDeployments(store, { service: "no-such-service" });
    assert.deepEqual(none, { deployments: [], nextCursor: null });
  });

  it("pages through many deployments with the same time across page edges, nothing skipped or repeated", async () => {
    // 23 at one millisecond, with ids that sort differently as text and as numbers, and a
    // neighbour a millisecond either side; pages of 5 and 4 cut through the tie.
    const tied = Array.from({ length: 23 }, (_, i) => ({
      type: "deployment", service: "tied", environment: "staging", deploymentId: `t-${i}`, version: `v${i}`,
      status: "succeeded", occurredAt: "2026-10-01T08:00:00.000Z",
    }));
    const around = ["2026-10-01T07:59:59.999Z", "2026-10-01T08:00:00.001Z"].map((occurredAt, i) => ({
      ...tied[0]!, deploymentId: `edge-${i}`, occurredAt,
    }));
    await writeEvents(store, events([...tied, ...around]));
    const expected = ["edge-1", ...tied.map((t) => t.deploymentId).sort().reverse(), "edge-0"];
    for (const limit of [1, 4, 5, 25, 26]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listDeployments(store, { service: "tied", limit, cursor });
        assert.ok(page.deployments.length <= limit);
        seen.push(...page.deployments.map((d) => d.deploymentId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, expected, `pages of ${limit}`);
    }
  });

  it("pages across years, each deployment once at its latest status, however long ago it started", async () => {
    const at = (deploymentId: string, status: string, occurredAt: string) => ({
      type: "deployment", service: "spread", environment: "qa", deploymentId, version: deploymentId, status, occurredAt,
    });
    await writeEvents(store, events([
      at("p-0", "succeeded", "2023-02-01T00:00:00Z"),
      at("p-1", "succeeded", "2024-06-01T00:00:00Z"),
      at("p-2", "succeeded", "2025-12-01T00:00:00Z"),
      at("p-3", "started", "2026-11-22T00:00:00Z"),
      at("p-4", "started", "2024-01-01T00:00:00Z"),
      at("p-4", "failed", "2026-11-19T00:00:00Z"),
    ]));
    for (const limit of [1, 2, 5, 6]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listDeployments(store, { environment: "qa", limit, cursor });
        seen.push(...page.deployments.map((d) => `${d.deploymentId} ${d.status} ${d.startedAt.slice(0, 10)}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, [
        "p-3 started 2026-11-22", "p-4 failed 2024-01-01", "p-2 succeeded 2025-12-01", "p-1 succeeded 2024-06-01", "p-0 succeeded 2023-02-01",
      ], `pages of ${limit}`);
    }
    // p-4 started in this range, but its status is from later.
    const range = await listDeployments(store, { environment: "qa", from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" });
    assert.deepEqual(range.deployments.map((d) => d.deploymentId), ["p-2", "p-1"]);
  });

  it("refuses a cursor it did not issue", async () => {
    for (const cursor of ["x", Buffer.from("[1,2]").toString("base64url"), Buffer.from('["not a time","id"]').toString("base64url")]) {
      await assert.rejects(listDeployments(store, { cursor }), InvalidCursorError, cursor);
    }
  });

  it("stores SQL-looking strings verbatim", async () => {
    const nasty = "x'); DROP TABLE events; --{service:String}\\";
    await writeEvents(store, events([
      { type: "deployment", service: nasty, environment: "production", deploymentId: nasty, version: "v'1", status: "succeeded", occurredAt: "2026-11-22T00:00:00Z" },
    ]));
    const detail = await getDeployment(store, nasty);
    assert.equal(detail?.service, nasty);
    assert.equal(detail?.version, "v'1");
    const { deployments } = await listDeployments(store, { service: nasty });
    assert.equal(deployments.length, 1);
  });

  it("lists incidents folded from their events, and the services seen", async () => {
    await writeEvents(store, events([
      { type: "incident", ...base, incidentId: "i-1", status: "resolved", occurredAt: "2026-11-21T10:30:00Z" },
    ]));
    const incidents = await listIncidents(store, { service: "checkout" });
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]?.status, "resolved");
    assert.equal(incidents[0]?.causedBy, "d-2");
    assert.equal(incidents[0]?.openedAt, "2026-11-21T09:30:00.000Z");
    assert.equal(incidents[0]?.resolvedAt, "2026-11-21T10:30:00.000Z");
    // Opened before the range and resolved in it: not opened in the range, though it has an event there.
    assert.deepEqual(await listIncidents(store, { service: "checkout", from: "2026-11-21T10:00:00Z" }), []);
    const fromItsStart = await listIncidents(store, { service: "checkout", from: "2026-11-21T09:30:00Z" });
    assert.equal(fromItsStart[0]?.openedAt, "2026-11-21T09:30:00.000Z");
    const services = await listServices(store);
    const checkout = services.services.find((s) => s.service === "checkout");
    assert.deepEqual(checkout?.teams, ["payments"]);
    assert.ok(services.environments.includes("staging"));
  });
});
