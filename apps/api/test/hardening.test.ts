import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { z } from "zod";
import { hmacSha256Hex } from "@drumbeat/collectors";
import { createToken } from "@drumbeat/store";
import { startTestApi, type TestApi } from "./helpers.ts";

const common = { occurredAt: "2026-11-20T10:00:00Z", environment: "production" };
const deployment = { type: "deployment", ...common, service: "checkout", deploymentId: "d-1", version: "v1", status: "succeeded" };
const PD_SECRET = "pd-secret";
const GITHUB_SECRET = "gh-secret";

/** Writes raw bytes to the API and resolves with the first answer's status line and body (or "no answer" after `ms`). */
function rawRequest(url: string, head: string, body = "", ms = 3_000): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head + body));
    let answer = "";
    const timer = setTimeout(() => { socket.destroy(); resolve(answer || "no answer"); }, ms);
    socket.on("data", (chunk) => {
      answer += chunk.toString("utf8");
      if (/\r\n\r\n[\s\S]*\}/.test(answer)) { clearTimeout(timer); socket.destroy(); resolve(answer); }
    });
    socket.on("error", (error) => { clearTimeout(timer); reject(error); });
  });
}

describe("hardening: hostile input to the API", () => {
  let api: TestApi;
  let token: string;
  before(async () => {
    api = await startTestApi("hardening", { auth: "on", maxBodyBytes: 64 * 1024, collectors: { secrets: { pagerduty: PD_SECRET, github: GITHUB_SECRET } } });
    token = (await createToken(api.store, "admin", ["admin"])).token;
  });
  after(() => api.dispose());

  // Keys, not rows: a background merge collapsing a reprocessed journal row must not look like a change.
  const rows = async () => {
    const [row] = await api.store.query({ name: "test.rows", sql: "SELECT (SELECT uniqExact(id) FROM events) + (SELECT uniqExact(source, delivery_id) FROM webhook_journal) AS n", rows: z.object({ n: z.number() }) });
    return row!.n;
  };
  const post = (json: unknown) => api.call("/api/v1/events", { method: "POST", json, token });
  const pagerduty = (event: object) => {
    const body = JSON.stringify({ event: { id: "01PD", event_type: "incident.triggered", occurred_at: "2026-11-20T10:00:00Z", data: { id: "PINC", title: "down", service: { id: "PSVC", summary: "pay" } }, ...event } });
    return api.call("/webhooks/pagerduty", { method: "POST", body, headers: { "content-type": "application/json", "x-webhook-id": `wh-${Math.random()}`, "x-pagerduty-signature": `v1=${hmacSha256Hex(PD_SECRET, Buffer.from(body))}` } });
  };

  describe("item 2: inputs that gave 500", () => {
    it("stores a lone surrogate as U+FFFD in service, commit message, actor and incident title, and reads it back", async () => {
      const sent = await post([
        { ...deployment, service: "sur\ud800", deploymentId: "d-sur", actor: "a\udfffb", commits: [{ sha: "abcdef1", authoredAt: "2026-11-19T10:00:00Z", message: "fix \ud83d" }] },
        { type: "incident", ...common, service: "sur\ud800", incidentId: "i-sur", status: "opened", title: "down \udc00" },
      ]);
      assert.deepEqual([sent.status, sent.body.accepted], [202, 2], JSON.stringify(sent.body));
      const detail = await api.call("/api/v1/deployments/d-sur", { token });
      assert.equal(detail.status, 200, JSON.stringify(detail.body));
      assert.deepEqual([detail.body.service, detail.body.actor, detail.body.commits[0].message], ["sur\ufffd", "a\ufffdb", "fix \ufffd"]);
      const incidents = await api.call(`/api/v1/incidents?service=${encodeURIComponent("sur\ufffd")}&from=2026-11-01T00:00:00Z`, { token });
      assert.equal(incidents.status, 200, JSON.stringify(incidents.body));
      assert.deepEqual(incidents.body.incidents.map((i: any) => i.title), ["down \ufffd"]);
    });

    it("stores a webhook's lone surrogate the same way", async () => {
      const answer = await pagerduty({ data: { id: "PSUR", title: "t\ud800", service: { id: "PSVC", summary: "pay\udfff" } } });
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      const incidents = await api.call(`/api/v1/incidents?service=${encodeURIComponent("pay\ufffd")}&from=2026-11-01T00:00:00Z`, { token });
      assert.deepEqual([incidents.status, incidents.body.incidents?.map((i: any) => i.title)], [200, ["t\ufffd"]]);
      // An event type Drumbeat does not use is journaled with the reason, which quotes it.
      const ignored = await pagerduty({ event_type: "\udc00\ud800" });
      assert.deepEqual([ignored.status, ignored.body.ignored], [202, "PagerDuty event '\ufffd\ufffd' does not change an incident's state"]);
    });

    it("ignores a built-in JavaScript name as PagerDuty event_type or GitHub event, journaled as ignored, and reprocesses", async () => {
      for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
        const pd = await pagerduty({ event_type: name });
        assert.deepEqual([pd.status, typeof pd.body.ignored], [202, "string"], `${name}: ${JSON.stringify(pd.body)}`);
        const body = JSON.stringify({ zen: "hi" });
        const gh = await api.call("/webhooks/github", { method: "POST", body, headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": `gh-${name}`, "x-hub-signature-256": `sha256=${hmacSha256Hex(GITHUB_SECRET, Buffer.from(body))}` } });
        assert.deepEqual([gh.status, typeof gh.body.ignored], [202, "string"], `${name}: ${JSON.stringify(gh.body)}`);
      }
      const outcomes = await api.store.query({ name: "test.outcomes", sql: "SELECT DISTINCT outcome FROM webhook_journal FINAL WHERE outcome NOT IN ('accepted')", rows: z.object({ outcome: z.string() }) });
      assert.deepEqual(outcomes.map((o) => o.outcome), ["ignored"]);
      const again = await api.call("/api/v1/admin/reprocess", { method: "POST", json: { since: "2020-01-01" }, token });
      assert.equal(again.status, 200, JSON.stringify(again.body));
    });

    it("answers 400 for a body declared gzip (or deflate) that is not, writing nothing", async () => {
      const before = await rows();
      for (const encoding of ["gzip", "deflate"]) {
        const events = await api.call("/api/v1/events", { method: "POST", body: JSON.stringify(deployment), headers: { "content-type": "application/json", "content-encoding": encoding }, token });
        assert.deepEqual([events.status, events.body.error], [400, "malformed_body"], JSON.stringify(events.body));
        const hook = await api.call("/webhooks/pagerduty", { method: "POST", body: "{}", headers: { "content-type": "application/json", "content-encoding": encoding, "x-pagerduty-signature": "v1=00" } });
        assert.deepEqual([hook.status, hook.body.error], [400, "malformed_body"], JSON.stringify(hook.body));
      }
      assert.equal(await rows(), before);
    });
  });

  describe("item 3: dates and numbers the store cannot hold", () => {
    it("rejects times outside 1970 to 2100 and a durationMs wider than UInt32 with 400 naming the field", async () => {
      const before = await rows();
      for (const occurredAt of ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]) {
        const answer = await post({ ...deployment, occurredAt });
        assert.deepEqual([answer.status, answer.body.issues?.[0]?.path], [400, "occurredAt"], JSON.stringify(answer.body));
        assert.match(answer.body.message, /2100-01-01T00:00:00Z/);
      }
      const wide = await post({ type: "usecase", ...common, service: "checkout", deploymentId: "d-1", usecase: "pay", status: "pass", durationMs: 4_294_967_297 });
      assert.deepEqual([wide.status, wide.body.issues?.[0]?.path], [400, "durationMs"]);
      const late = await pagerduty({ occurred_at: "9999-12-31T23:59:59Z" });
      assert.deepEqual([late.status, late.body.issues?.[0]?.path], [400, "events.0.occurredAt"], JSON.stringify(late.body));
      assert.equal(await rows(), before);
    });
  });

  describe("item 4: bounded reads", () => {
    it("answers 400 naming the limit for a range the store cannot hold, too long a DORA range, or too many buckets", async () => {
      const far = await api.call("/api/v1/dora/timeseries?bucket=day&from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z", { token });
      assert.deepEqual([far.status, far.body.issues?.map((i: any) => i.path)], [400, ["query.from", "query.to"]], JSON.stringify(far.body));
      assert.match(far.body.message, /1970-01-01T00:00:00Z/);
      const summary = await api.call("/api/v1/dora?from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z", { token });
      assert.equal(summary.status, 400);
      const long = await api.call("/api/v1/dora?from=1990-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", { token });
      assert.deepEqual([long.status, long.body.error], [400, "invalid_range"]);
      assert.match(long.body.message, /3660 days/);
      const days = await api.call("/api/v1/dora/timeseries?bucket=day&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", { token });
      assert.deepEqual([days.status, days.body.error], [400, "invalid_range"]);
      assert.match(days.body.message, /1000 buckets/);
      const weeks = await api.call("/api/v1/dora/timeseries?bucket=week&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", { token });
      assert.equal(weeks.status, 200, JSON.stringify(weeks.body));
      const list = await api.call("/api/v1/deployments?from=0001-01-01T00:00:00Z", { token });
      assert.deepEqual([list.status, list.body.issues?.[0]?.path], [400, "query.from"]);
    });
  });

  describe("item 6: the HTTP edge", () => {
    it("answers 413 from a Content-Length above the limit without waiting for the body", async () => {
      const answer = await rawRequest(api.url, `POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n`, "{");
      assert.match(answer, /^HTTP\/1\.1 413/);
      const hook = await rawRequest(api.url, "POST /webhooks/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n", "{");
      assert.match(hook, /^HTTP\/1\.1 413/);
    });

    it("answers 401 before reading the body of a request without a valid token", async () => {
      // Headers only: the declared body never comes, so an answer proves it was not awaited.
      const missing = await rawRequest(api.url, "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n");
      assert.match(missing, /^HTTP\/1\.1 401/);
      const unknown = await rawRequest(api.url, "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n");
      assert.match(unknown, /^HTTP\/1\.1 401/);
    });
  });
});
