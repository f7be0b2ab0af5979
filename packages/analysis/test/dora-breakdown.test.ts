import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEventBatch } from "@drumbeat/events";
import { writeEvents, type Store } from "@drumbeat/store";
import { openTestStore } from "../../store/test/helpers.ts";
import { DEFAULT_DORA_SETTINGS, doraLeadTimes } from "../src/index.ts";

/** A hand-worked history for the lead-time breakdown (docs/dora.md), around Monday 2026-03-02 10:00 UTC. */
const T0 = Date.parse("2026-03-02T10:00:00Z");
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const WEEK = { from: "2026-03-02T00:00:00Z", to: "2026-03-09T00:00:00Z" };
const base = { environment: "production", team: "core", service: "shop" };
const pr = (number: number, status: string, hours: number, commits?: string[]) =>
  ({ type: "pull_request", ...base, repository: "acme/shop", number, status, occurredAt: at(hours), ...(commits && { commits }) });

const EVENTS = [
  // #1: first commit authored -5 h, opened -3 h, reviewed -2.5 h, approved -2 h, merged -1 h, deployed at 0:
  // coding 2 h, pickup 30 min, review 1.5 h, deploy 1 h.
  pr(1, "opened", -3, ["aaaa2"]), pr(1, "reviewed", -2.5, ["aaaa2"]), pr(1, "approved", -2, ["aaaa2"]), pr(1, "merged", -1, ["aaaa2", "mmmm1"]),
  { type: "deployment", ...base, deploymentId: "p1", version: "mmmm1", status: "succeeded", occurredAt: at(0),
    commits: [{ sha: "aaaa1", authoredAt: at(-10) }, { sha: "aaaa2", authoredAt: at(-5) }, { sha: "mmmm1", authoredAt: at(-1) }] },
  // #2: merged without a review, its commit known only as the version of the deployment that shipped it (+3 h):
  // no coding, pickup or review; deploy 1 h.
  pr(2, "opened", 1, ["bbbb1"]), pr(2, "merged", 2, ["bbbb1"]),
  { type: "deployment", ...base, deploymentId: "p2", version: "bbbb1", status: "succeeded", occurredAt: at(3) },
  // #3 closed unmerged and #4 merged but not deployed: neither counts.
  pr(3, "opened", 0, ["cccc1"]), pr(3, "closed", 1, ["cccc1"]),
  pr(4, "opened", 0, ["dddd1"]), pr(4, "merged", 1, ["dddd1"]),
];

describe("DORA lead-time breakdown by pull-request stage", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  before(async () => {
    ({ store, dispose } = await openTestStore("dora_breakdown"));
    const parsed = parseEventBatch(EVENTS);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    await writeEvents(store, parsed.events);
  });
  after(() => dispose());

  const expected = {
    pullRequests: 2,
    stages: {
      coding: { count: 1, medianSeconds: 7200, p90Seconds: null },
      pickup: { count: 1, medianSeconds: 1800, p90Seconds: null },
      review: { count: 1, medianSeconds: 5400, p90Seconds: null },
      deploy: { count: 2, medianSeconds: 3600, p90Seconds: null },
    },
    // aaaa1 was pushed without a pull request: its commit-based lead time, 10 h, counted apart.
    withoutPullRequest: { count: 1, medianSeconds: 36_000, p90Seconds: null },
  };

  it("splits each merged and deployed pull request into coding, pickup, review and deploy; commits without one apart", async () => {
    const answer = await doraLeadTimes(store, { service: "shop", ...WEEK }, DEFAULT_DORA_SETTINGS);
    assert.deepEqual(answer.breakdown, expected);
    // The commit-based lead time still lists every commit, in a pull request or not.
    assert.deepEqual(answer.commits.map((c) => [c.sha, c.leadSeconds]), [["aaaa1", 36_000], ["aaaa2", 18_000], ["mmmm1", 3_600]]);
    assert.equal(answer.groups, undefined);
  });

  it("gives the breakdown per team and per day, empty days included", async () => {
    const answer = await doraLeadTimes(store, { ...WEEK, groupBy: "team", bucket: "day" }, DEFAULT_DORA_SETTINGS);
    assert.deepEqual(answer.groups, [{ key: "core", ...expected }]);
    assert.equal(answer.trend?.length, 7);
    assert.deepEqual(answer.trend?.[0], { start: "2026-03-02T00:00:00.000Z", end: "2026-03-03T00:00:00.000Z", ...expected });
    assert.deepEqual(answer.trend?.slice(1).map((p) => [p.pullRequests, p.stages.deploy.count, p.withoutPullRequest.count]), Array(6).fill([0, 0, 0]));
  });

  it("counts a pull request in the range of the deployment that shipped it", async () => {
    const before = await doraLeadTimes(store, { service: "shop", from: "2026-03-02T00:00:00Z", to: "2026-03-02T12:00:00Z" }, DEFAULT_DORA_SETTINGS);
    assert.deepEqual([before.breakdown.pullRequests, before.breakdown.stages.deploy.count], [1, 1]);
  });
});
