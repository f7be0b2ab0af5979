import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { markersOf } from "../lib/outcomes.ts";
import { bandsOf, chosenMetric, timelineScopeFrom, windowRange, TIMELINE_WINDOWS } from "../lib/timeline.ts";
import type { DeploymentSummary, IncidentSummary, MetricCatalog, ServiceCatalog } from "../lib/types.ts";

const catalog: ServiceCatalog = {
  services: [
    { service: "checkout", teams: ["payments"], environments: ["production", "staging"], lastEventAt: "", events: 1 },
    { service: "search", teams: [], environments: ["staging"], lastEventAt: "", events: 1 },
  ],
  teams: ["payments"],
  environments: ["production", "staging"],
};

const entry = (metric: string, group: string): MetricCatalog["metrics"][number] =>
  ({ metric, group, direction: "up_is_bad", kind: "gauge", unit: "", firstSeen: "", lastSeen: "" });

function deployment(deploymentId: string, fields: Partial<DeploymentSummary>): DeploymentSummary {
  return {
    deploymentId, service: "checkout", environment: "production", team: "", version: "v1", artifact: "", status: "succeeded",
    statusAt: "2026-03-01T10:05:00.000Z", startedAt: "2026-03-01T10:00:00.000Z", strategy: "", kind: "normal", rollsBack: "",
    url: "", actor: "", source: "", canarySteps: 0, authors: [], leadTimeSeconds: null, verdict: null, ...fields,
  };
}

describe("deployments timeline", () => {
  test("charts the filtered service, in production when it has it, else its first environment; none without a known service", () => {
    assert.deepEqual(timelineScopeFrom({ service: "checkout" }, catalog), { service: "checkout", environment: "production", window: TIMELINE_WINDOWS[1], metric: undefined });
    assert.equal(timelineScopeFrom({ service: "search" }, catalog)?.environment, "staging");
    assert.equal(timelineScopeFrom({ service: "checkout", environment: "staging", window: "24h", metric: "m" }, catalog)?.window.key, "24h");
    assert.equal(timelineScopeFrom({ service: "checkout", window: "1y" }, catalog)?.window.key, "7d");
    assert.equal(timelineScopeFrom({}, catalog), undefined);
    assert.equal(timelineScopeFrom({ service: "unknown" }, catalog), undefined);
  });

  test("charts the metric asked for when the service has it, else its first error metric, else its first", () => {
    const metrics = [entry("a.latency.p95", "latency"), entry("http.server.errors", "errors"), entry("rpc.failures", "errors")];
    assert.equal(chosenMetric(metrics, "rpc.failures"), "rpc.failures");
    assert.equal(chosenMetric(metrics, "no.such.metric"), "http.server.errors");
    assert.equal(chosenMetric(metrics, undefined), "http.server.errors");
    assert.equal(chosenMetric([entry("queue.depth", "other"), entry("a.latency.p95", "latency")], undefined), "queue.depth");
    assert.equal(chosenMetric([], "anything"), undefined);
  });

  test("a window ends at the next whole minute", () => {
    assert.deepEqual(windowRange(TIMELINE_WINDOWS[0], new Date("2026-03-02T10:00:30.000Z")), { from: "2026-03-01T10:01:00.000Z", to: "2026-03-02T10:01:00.000Z" });
    assert.deepEqual(windowRange(TIMELINE_WINDOWS[0], new Date("2026-03-02T10:00:00.000Z")).to, "2026-03-02T10:00:00.000Z");
  });

  test("a marker's outcome: failed, rolled back (by status or by a later rollback), regressed, in progress, succeeded", () => {
    const markers = markersOf([
      deployment("fail", { status: "failed", verdict: "regressed" }),
      deployment("undone", { verdict: "regressed" }),
      deployment("rollback", { kind: "rollback", rollsBack: "undone" }),
      deployment("self-rolled", { status: "rolled_back" }),
      deployment("worse", { verdict: "regressed" }),
      deployment("better", { verdict: "improved" }),
      deployment("running", { status: "started", statusAt: "2026-03-01T10:01:00.000Z" }),
    ]);
    assert.deepEqual(markers.map((m) => [m.deploymentId, m.outcome]), [
      ["fail", "failed"], ["undone", "rolled_back"], ["rollback", "succeeded"], ["self-rolled", "rolled_back"],
      ["worse", "regressed"], ["better", "succeeded"], ["running", "in_progress"],
    ]);
    assert.equal(markers[0]!.at, Date.parse("2026-03-01T10:05:00.000Z"), "a finished deployment sits at its final status");
    assert.equal(markers.at(-1)!.at, Date.parse("2026-03-01T10:00:00.000Z"), "one in progress sits at its start");
  });

  test("an incident is a band from opening to resolution, clipped to the window; open ones reach its end", () => {
    const incident = (incidentId: string, openedAt: string, resolvedAt: string | null): IncidentSummary => ({
      incidentId, service: "checkout", environment: "production", team: "", status: resolvedAt ? "resolved" : "opened",
      severity: "", title: incidentId, url: "", causedBy: "", openedAt, resolvedAt,
    });
    const range = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" };
    const bands = bandsOf([
      incident("inside", "2026-03-01T10:00:00.000Z", "2026-03-01T11:00:00.000Z"),
      incident("open", "2026-03-01T22:00:00.000Z", null),
      incident("late-fix", "2026-03-01T23:00:00.000Z", "2026-03-02T03:00:00.000Z"),
      incident("before", "2026-02-27T10:00:00.000Z", "2026-03-01T01:00:00.000Z"),
      incident("long-gone", "2026-02-20T10:00:00.000Z", "2026-02-21T01:00:00.000Z"),
    ], range);
    const iso = (time: number) => new Date(time).toISOString().slice(11, 16);
    assert.deepEqual(bands.map((b) => [b.incidentId, iso(b.from), iso(b.to), b.open]), [
      ["inside", "10:00", "11:00", false],
      ["open", "22:00", "00:00", true],
      ["late-fix", "23:00", "00:00", true],
      ["before", "00:00", "01:00", false],
    ]);
  });
});
