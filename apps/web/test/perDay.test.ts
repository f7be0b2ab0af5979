import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_DAYS, deploymentsPerDay } from "../lib/perDay.ts";
import type { DeploymentStatusName, DeploymentSummary } from "../lib/types.ts";

const deployment = (startedAt: string, status: DeploymentStatusName) => ({ startedAt, status }) as DeploymentSummary;

test("counts deployments per UTC start day and status, keeping quiet days as zeros", () => {
  const days = deploymentsPerDay([
    deployment("2026-03-04T23:59:59.000Z", "failed"),
    deployment("2026-03-02T00:00:00.000Z", "succeeded"),
    deployment("2026-03-02T23:30:00.000+00:00", "succeeded"),
    deployment("2026-03-04T08:00:00.000Z", "started"),
  ]);
  assert.deepEqual(days, [
    { day: "2026-03-02", started: 0, succeeded: 2, failed: 0, rolled_back: 0 },
    { day: "2026-03-03", started: 0, succeeded: 0, failed: 0, rolled_back: 0 },
    { day: "2026-03-04", started: 1, succeeded: 0, failed: 1, rolled_back: 0 },
  ]);
});

test("draws at most MAX_DAYS days, ending on the newest", () => {
  const days = deploymentsPerDay([deployment("2025-01-01T10:00:00Z", "succeeded"), deployment("2026-03-04T10:00:00Z", "succeeded")]);
  assert.equal(days.length, MAX_DAYS);
  assert.equal(days.at(-1)?.day, "2026-03-04");
  assert.deepEqual(deploymentsPerDay([]), []);
});
