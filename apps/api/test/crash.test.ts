import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { parseEventBatch } from "@drumbeat/events";
import { openStore } from "@drumbeat/store";
import { freePort, startProcess, stopProcess } from "./process.ts";

const BATCH_SIZE = 50;
const CLIENTS = 6;
/**
 * A round is killed this long after this many of its requests were acknowledged, while
 * the others are being written: later in each round, to land in different steps of a write.
 */
const ACKS_BEFORE_KILL = 4;
const KILL_DELAY_MS = [0, 25, 60, 120];
const SERVICES = ["crash-a", "crash-b", "crash-c"];
const START = Date.parse("2026-10-01T00:00:00Z");

/** Every kind of event, so that every typed table is written in each batch. */
function batch(b: number): object[] {
  return Array.from({ length: BATCH_SIZE }, (_, j) => {
    const n = b * BATCH_SIZE + j;
    const common = { service: SERVICES[n % SERVICES.length], environment: "production", occurredAt: new Date(START + n * 60_000).toISOString() };
    const authoredAt = new Date(START + n * 60_000 - 3_600_000).toISOString();
    switch (j % 5) {
      case 0: return { type: "deployment", ...common, deploymentId: `crash-d${n}`, version: `v${n}`, status: "succeeded",
        commits: [{ sha: `sha${n}a`, authoredAt, author: "ana" }, { sha: `sha${n}b`, authoredAt, message: "fix" }] };
      case 1: return { type: "incident", ...common, incidentId: `crash-i${n}`, status: "opened", title: `incident ${n}`, causedBy: `crash-d${n - 1}` };
      case 2: return { type: "usecase", ...common, deploymentId: `crash-d${n - 2}`, usecase: `case ${n}`, status: "pass", durationMs: n };
      case 3: return { type: "flag", ...common, flag: `flag-${n}`, action: "disabled" };
      default: return { type: "commit", ...common, sha: `push${n}`, repository: "acme/crash", authoredAt };
    }
  });
}

interface Sent { index: number; body: string; acknowledged: boolean }

async function post(url: string, body: string) {
  const response = await fetch(`${url}/api/v1/events`, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: response.status, body: (await response.json()) as { accepted: number; duplicates: number } };
}

/** Clients post fresh batches until the round's process is killed; returns what was sent. */
async function loadUntilKilled(url: string, kill: () => void, killDelayMs: number, firstBatch: number): Promise<Sent[]> {
  const sent: Sent[] = [];
  let acks = 0;
  let killed = false;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (!killed) {
      const entry: Sent = { index: firstBatch + sent.length, body: "", acknowledged: false };
      entry.body = JSON.stringify(batch(entry.index));
      sent.push(entry);
      try {
        const answer = await post(url, entry.body);
        assert.equal(answer.status, 202);
        entry.acknowledged = true;
        if (++acks === ACKS_BEFORE_KILL) {
          setTimeout(() => {
            killed = true;
            kill();
          }, killDelayMs);
        }
      } catch (error) {
        if (!killed) throw error;
      }
    }
  }));
  return sent;
}

const Count = z.object({ n: z.number() });

const TYPED_IDS = `SELECT event_id FROM deployment_events UNION ALL SELECT event_id FROM incident_events
  UNION ALL SELECT event_id FROM usecase_results UNION ALL SELECT event_id FROM flag_events`;

/** Events with a journal row but no typed row, or the reverse: what the kills cut in two. */
async function halfWrittenEvents(dataDir: string): Promise<number> {
  const store = await openStore({ dataDir, database: "drumbeat" });
  try {
    const [row] = await store.query({
      name: "test.halfWritten",
      sql: `SELECT (SELECT count() FROM events WHERE type != 'commit' AND id NOT IN (${TYPED_IDS}))
        + (SELECT uniqExact(event_id) FROM (${TYPED_IDS}) WHERE event_id NOT IN (SELECT id FROM events)) AS n`,
      rows: Count,
    });
    return row!.n;
  } finally {
    await store.close();
  }
}

describe("kill -9 under load, then a retry of every batch", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "drumbeat-crash-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("stores every event fully, exactly once, and acknowledged batches were already complete", async (t) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const sent: Sent[] = [];
    for (const killDelayMs of KILL_DELAY_MS) {
      const child = await startProcess(dataDir, port);
      sent.push(...await loadUntilKilled(url, () => child.kill("SIGKILL"), killDelayMs, sent.length));
      await stopProcess(child, "SIGKILL");
    }
    t.diagnostic(`sent ${sent.length} batches, ${sent.filter((entry) => entry.acknowledged).length} acknowledged; ` +
      `events half-written by the kills: ${await halfWrittenEvents(dataDir)}`);

    const child = await startProcess(dataDir, port);
    let retried;
    try {
      retried = await Promise.all(sent.map(async (entry) => ({ entry, answer: await post(url, entry.body) })));
      for (const { entry, answer } of retried) {
        assert.equal(answer.status, 202);
        // Acknowledged means committed: its retry finds every event already there.
        if (entry.acknowledged) assert.deepEqual([answer.body.accepted, answer.body.duplicates], [0, BATCH_SIZE], `batch ${entry.index}`);
      }
      const events = sent.flatMap((entry) => batch(entry.index)) as { type: string; service: string }[];
      const ofType = (type: string) => events.filter((event) => event.type === type).length;

      // Per service, so that no list reaches the API's 500-row page (a run may send more).
      const perService = async <T>(path: string, key: string): Promise<T[]> => (await Promise.all(SERVICES.map(async (service) => {
        const body = await fetch(`${url}${path}?environment=production&limit=500&from=2026-01-01T00:00:00Z&service=${service}`).then((r) => r.json());
        assert.ok(body[key].length < 500, `${path} of ${service} fits one page`);
        return body[key] as T[];
      }))).flat();
      const ids = (await perService<{ deploymentId: string }>("/api/v1/deployments", "deployments")).map((d) => d.deploymentId);
      assert.equal(ids.length, ofType("deployment"));
      assert.equal(new Set(ids).size, ids.length);
      const detail = await fetch(`${url}/api/v1/deployments/${ids[0]}`).then((r) => r.json());
      assert.equal(detail.commits.length, 2);

      const incidents = await perService<{ causedBy: string }>("/api/v1/incidents", "incidents");
      assert.equal(incidents.length, ofType("incident"));
      assert.ok(incidents.every((incident: { causedBy: string }) => incident.causedBy.startsWith("crash-d")));

      // The catalog lists every service; its counts may miss an insert a kill cut between
      // the journal and its view (clickhouse/README.md), never count one twice.
      const services = await fetch(`${url}/api/v1/services`).then((r) => r.json());
      for (const service of SERVICES) {
        const seen = services.services.find((s: { service: string }) => s.service === service);
        assert.ok(seen && seen.events > 0 && seen.events <= events.filter((event) => event.service === service).length, service);
      }
    } finally {
      await stopProcess(child);
    }

    // Every table, read as the engine stores it: each event's rows exactly once.
    const store = await openStore({ dataDir, database: "drumbeat" });
    try {
      const count = async (sql: string) => (await store.query({ name: "test.count", sql, rows: Count }))[0]!.n;
      const parsed = parseEventBatch(sent.flatMap((entry) => batch(entry.index)));
      assert.ok(parsed.ok);
      const all = parsed.events;
      const of = (type: string) => all.filter((event) => event.type === type).length;
      assert.equal(await count("SELECT count() AS n FROM events"), all.length);
      assert.equal(await count("SELECT uniqExact(id) AS n FROM events"), all.length);
      assert.equal(await count("SELECT count() AS n FROM deployment_events FINAL"), of("deployment"));
      assert.equal(await count("SELECT count() AS n FROM deployments FINAL"), of("deployment"));
      assert.equal(await count("SELECT count() AS n FROM deployment_commits FINAL"), 2 * of("deployment"));
      assert.equal(await count("SELECT count() AS n FROM incident_events FINAL"), of("incident"));
      assert.equal(await count("SELECT count() AS n FROM usecase_results FINAL"), of("usecase"));
      assert.equal(await count("SELECT count() AS n FROM flag_events FINAL"), of("flag"));
      assert.equal(await count("SELECT count() AS n FROM commits FINAL"), of("commit"));
      assert.equal(await count("SELECT count() AS n FROM events WHERE id NOT IN (SELECT event_id FROM deployment_events) AND type = 'deployment'"), 0);
    } finally {
      await store.close();
    }
  });
});
