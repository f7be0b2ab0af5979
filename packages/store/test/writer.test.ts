import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { parseEventBatch, type DrumbeatEvent } from "@drumbeat/events";
import { getDeployment, listIncidents, writeEvents, writerOf, type Store } from "../src/index.ts";
import { toTypedRows, TYPED_TABLES } from "../src/ingest/rows.ts";
import { IngestWriter } from "../src/ingest/writer.ts";
import { openTestStore } from "./helpers.ts";

function events(items: unknown[]): DrumbeatEvent[] {
  const parsed = parseEventBatch(items);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.events;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString();
const deployment = (id: string, extra: object = {}) =>
  ({ type: "deployment", service: "writer", environment: "production", deploymentId: id, version: `v-${id}`, status: "succeeded", occurredAt: at(0), ...extra });

describe(`the ingest writer (${process.env.CLICKHOUSE_URL ? "server" : "embedded"})`, () => {
  let store: Store;
  let dispose: () => Promise<void>;
  before(async () => ({ store, dispose } = await openTestStore("writer")));
  after(() => dispose());

  const count = async (sql: string, params = {}) =>
    (await store.query({ name: "test.count", sql, params, rows: z.object({ n: z.number() }) }))[0]!.n;

  it("coalesces concurrent requests into shared inserts, answering each with its own counts", async () => {
    const before = store.ownWrites;
    const answers = await Promise.all(Array.from({ length: 32 }, (_, i) => writeEvents(store, events([deployment(`co-${i}`)]))));
    assert.ok(answers.every((answer) => answer.accepted === 1 && answer.duplicates === 0 && answer.ids.length === 1));
    assert.equal(new Set(answers.map((answer) => answer.ids[0])).size, 32);
    assert.equal(await count("SELECT count() AS n FROM deployments FINAL WHERE deployment_id LIKE 'co-%'"), 32);
    // One flush: deployment_events and the journal (the embedded engine counts its own writes).
    if (before !== undefined) assert.equal(store.ownWrites! - before, 2);
  });

  it("counts an event sent by concurrent requests once, and a retry as a duplicate", async () => {
    const same = events([deployment("dup-1"), { type: "incident", service: "writer", environment: "production", incidentId: "dup-i", status: "opened", occurredAt: at(1) }]);
    const answers = await Promise.all(Array.from({ length: 5 }, () => writeEvents(store, same)));
    assert.equal(answers.reduce((sum, answer) => sum + answer.accepted, 0), 2);
    assert.equal(answers.reduce((sum, answer) => sum + answer.duplicates, 0), 8);
    const retry = await writeEvents(store, same);
    assert.deepEqual([retry.accepted, retry.duplicates], [0, 2]);
    assert.equal(await count("SELECT count() AS n FROM events WHERE id IN {ids:Array(String)}", { ids: same.map((e) => e.id) }), 2);
  });

  it("commits an event with its journal row only after all its typed rows; a retry writes a cut-short event whole", async () => {
    const [event] = events([deployment("half-1", { commits: [{ sha: "aaaa1111", authoredAt: at(0) }, { sha: "bbbb2222", authoredAt: at(0) }] })]);
    // The real store, failing the commits insert: what an error or a crash part-way through a write leaves.
    const failing: Store = Object.create(store, {
      insertJsonEachRow: { value: (table: string, body: string) => table === "deployment_commits" ? Promise.reject(new Error("cut short")) : store.insertJsonEachRow(table, body) },
    });
    await assert.rejects(new IngestWriter(failing).writeEvents([event!]), /cut short/);
    assert.equal(await count("SELECT count() AS n FROM events WHERE id = {id:String}", { id: event!.id }), 0);
    assert.equal(await count("SELECT count() AS n FROM deployment_events WHERE deployment_id = 'half-1'"), 1);

    const retry = await writeEvents(store, [event!]);
    assert.deepEqual([retry.accepted, retry.duplicates], [1, 0]);
    const detail = await getDeployment(store, "half-1");
    assert.deepEqual(detail?.commits.map((c) => c.sha), ["aaaa1111", "bbbb2222"]);
    assert.equal(detail?.events.length, 1);
    const again = await writeEvents(store, [event!]);
    assert.deepEqual([again.accepted, again.duplicates], [0, 1]);
  });

  it("fails only the request the engine refuses, not those batched with it", async () => {
    // The real store, refusing any insert that carries the poisoned deployment.
    const refusing: Store = Object.create(store, {
      insertJsonEachRow: { value: (table: string, body: string) =>
        body.includes("poison") ? Promise.reject(new Error("refused")) : store.insertJsonEachRow(table, body) },
    });
    const writer = new IngestWriter(refusing, { maxDelayMs: 20, maxRows: 1_000 });
    const [good, bad, alsoGood] = await Promise.allSettled([
      writer.writeEvents(events([deployment("iso-1")])),
      writer.writeEvents(events([deployment("poison-1")])),
      writer.writeEvents(events([deployment("iso-2")])),
    ]);
    assert.equal(good.status, "fulfilled");
    assert.equal(alsoGood.status, "fulfilled");
    assert.equal(bad.status, "rejected");
    assert.equal(await count("SELECT count() AS n FROM deployments FINAL WHERE deployment_id IN ('iso-1', 'iso-2', 'poison-1')"), 2);
    assert.equal(await count("SELECT count() AS n FROM events WHERE JSONExtractString(payload, 'deploymentId') = 'poison-1'"), 0);
  });

  it("writes the typed columns the payload views used to derive, defaults included", async () => {
    const written = events([
      deployment("typed-1", { canaryWeight: 25, strategy: "canary", kind: "hotfix", labels: { region: "eu" }, artifact: "img:1", url: "https://ci.example/1", actor: "ana",
        commits: [{ sha: "cccc3333", authoredAt: at(0), committedAt: at(1), author: "bo", message: "m" }] }),
      deployment("typed-2"),
      { type: "usecase", service: "writer", environment: "production", occurredAt: at(2), version: "v1", usecase: "pay", status: "fail", durationMs: 4_294_967_295 },
      { type: "flag", service: "writer", environment: "production", occurredAt: at(3), flag: "f", action: "rollout", percentage: 12.5 },
      { type: "commit", service: "writer", environment: "production", occurredAt: at(4), sha: "dddd4444", authoredAt: at(4) },
    ]);
    await writeEvents(store, written);
    const Row = z.record(z.string(), z.unknown());
    const one = async (sql: string) => (await store.query({ name: "test.row", sql, rows: Row }))[0];
    assert.deepEqual(await one("SELECT strategy, canary_weight, kind, labels, artifact, url, actor, commit_count FROM deployment_events WHERE deployment_id = 'typed-1'"),
      { strategy: "canary", canary_weight: 25, kind: "hotfix", labels: { region: "eu" }, artifact: "img:1", url: "https://ci.example/1", actor: "ana", commit_count: 1 });
    assert.deepEqual(await one("SELECT strategy, canary_weight, kind, labels, commit_count, team, source FROM deployment_events WHERE deployment_id = 'typed-2'"),
      { strategy: "", canary_weight: -1, kind: "normal", labels: {}, commit_count: 0, team: "", source: "" });
    assert.deepEqual(await one("SELECT committed_at, author, message FROM deployment_commits WHERE sha = 'cccc3333'"),
      { committed_at: "2026-11-20T10:01:00.000Z", author: "bo", message: "m" });
    assert.deepEqual(await one("SELECT deployment_id, version, suite, duration_ms, error FROM usecase_results WHERE usecase = 'pay'"),
      { deployment_id: "", version: "v1", suite: "", duration_ms: 4_294_967_295, error: "" });
    assert.deepEqual(await one("SELECT percentage, actor FROM flag_events WHERE flag = 'f'"), { percentage: 12.5, actor: "" });
    assert.deepEqual(await one("SELECT repository, committed_at FROM commits WHERE sha = 'dddd4444'"), { repository: "", committed_at: "1970-01-01T00:00:00.000Z" });
    assert.deepEqual(Object.keys(toTypedRows(written)), [...TYPED_TABLES]);
  });

  it("marks the changed (environment, service) and the incidents that changed, for the DORA facts", async () => {
    const since = (await store.query({ name: "test.now", sql: "SELECT toString(now64(3, 'UTC')) AS now", rows: z.object({ now: z.string() }) }))[0]!.now;
    await writeEvents(store, events([
      { type: "deployment", service: "mark-d", environment: "staging", deploymentId: "mark-1", version: "v1", status: "succeeded", occurredAt: at(0) },
      { type: "incident", service: "mark-i", environment: "production", incidentId: "mark-i1", status: "opened", occurredAt: at(1), causedBy: "other-9" },
      { type: "flag", service: "mark-f", environment: "production", flag: "x", action: "disabled", occurredAt: at(2) },
      { type: "commit", service: "mark-c", environment: "production", sha: "eeee5555", authoredAt: at(3), occurredAt: at(3) },
      { type: "usecase", service: "mark-u", environment: "production", version: "v1", usecase: "u", status: "pass", occurredAt: at(4) },
    ]));
    const changed = await store.query({
      name: "test.changes",
      sql: "SELECT environment, service FROM dora_changes WHERE service LIKE 'mark-%' AND changed_at >= {since:DateTime64(3, 'UTC')} GROUP BY environment, service ORDER BY service",
      params: { since },
      rows: z.object({ environment: z.string(), service: z.string() }),
    });
    assert.deepEqual(changed, [
      { environment: "", service: "mark-c" }, { environment: "staging", service: "mark-d" },
      { environment: "production", service: "mark-f" }, { environment: "production", service: "mark-i" },
    ]);
    // Every event of an incident is noted (its resolution may not repeat the cause): clickhouse/0014.
    assert.equal(await count("SELECT count() AS n FROM dora_incident_changes WHERE incident_id = 'mark-i1'"), 1);
    assert.equal((await listIncidents(store, { service: "mark-i" }))[0]?.causedBy, "other-9");
  });

  it("coalesces plain rows of other tables by table", async () => {
    const before = store.ownWrites;
    const rows = (name: string) => [{ token_hash: name, name, scopes: ["read"], created_at: at(0) }];
    await Promise.all(["t1", "t2", "t3"].map((name) => writerOf(store).insert("api_tokens", rows(name))));
    assert.equal(await count("SELECT count() AS n FROM api_tokens WHERE token_hash IN ('t1', 't2', 't3')"), 3);
    if (before !== undefined) assert.equal(store.ownWrites! - before, 1);
  });

  describe("with the ingest log", () => {
    const logDir = () => mkdtempSync(join(tmpdir(), "drumbeat-ingest-log-"));
    const logged = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(".ndjson")).map((name) => readFileSync(join(dir, name), "utf8")).join("");
    const journalCount = (ids: string[]) => count("SELECT count() AS n FROM events WHERE id IN {ids:Array(String)}", { ids });

    it("answers once the events are in the log, loads them after, and counts a copy sent meanwhile as a duplicate", async () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      // The real store, holding every insert until the gate opens: a load still running.
      const slow: Store = Object.create(store, { insertJsonEachRow: { value: async (table: string, body: string) => (await gate, store.insertJsonEachRow(table, body)) } });
      const dir = logDir();
      const writer = new IngestWriter(slow);
      await writer.useLog(dir, (error) => assert.fail(String(error)));
      const [event] = events([deployment("log-1")]);

      const first = await writer.writeEvents([event!]);
      assert.deepEqual([first.accepted, first.duplicates], [1, 0]);
      assert.equal(await journalCount([event!.id]), 0, "answered before the engine has it");
      assert.match(logged(dir), /"deploymentId":"log-1"/);
      const copy = await writer.writeEvents([event!]);
      assert.deepEqual([copy.accepted, copy.duplicates], [0, 1]);

      // A read through the store waits for the events acknowledged before it.
      let answered = false;
      const reading = getDeployment(slow, "log-1").finally(() => (answered = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(answered, false, "a read waits for the load");
      open();
      assert.equal((await reading)?.events.length, 1);
      assert.equal(await journalCount([event!.id]), 1);
      assert.equal(logged(dir), "", "a loaded segment is removed");
      const retry = await writer.writeEvents([event!]);
      assert.deepEqual([retry.accepted, retry.duplicates], [0, 1]);
      await writer.close();
    });

    it("paces its loads: events logged apart are loaded together, at once when a read waits for them", async () => {
      const journalInserts: number[] = [];
      const counting: Store = Object.create(store, {
        insertJsonEachRow: { value: (table: string, body: string) => (table === "events" && journalInserts.push(body.trim().split("\n").length), store.insertJsonEachRow(table, body)) },
      });
      const writer = new IngestWriter(counting);
      await writer.useLog(logDir(), (error) => assert.fail(String(error)), { intervalMs: 60_000, events: 10_000 });
      const sent = events(Array.from({ length: 8 }, (_, i) => deployment(`paced-${i}`)));
      for (const event of sent) assert.equal((await writer.writeEvents([event])).accepted, 1);
      for (let waited = 0; journalInserts.length === 0 && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(journalInserts, [1], "the first event is loaded at once, the next ones wait for the interval");

      const read = Promise.race([getDeployment(counting, "paced-7"), new Promise((_, reject) => setTimeout(() => reject(new Error("the read was not served")), 10_000))]);
      assert.equal(((await read) as Awaited<ReturnType<typeof getDeployment>>)?.deploymentId, "paced-7");
      assert.deepEqual(journalInserts, [1, 7], "a waiting read starts one load of everything logged");
      await writer.close();
    });

    it("looks up only the ids its journal filter cannot rule out, and never rules out one the journal holds", async () => {
      const [old] = events([deployment("filter-old")]);
      await writeEvents(store, [old!]); // in the journal before the writer starts
      const queried: Record<string, string[]> = {};
      const counting: Store = Object.create(store, {
        query: { value: (spec: Parameters<Store["query"]>[0]) => {
          (queried[spec.name] ??= []).push(...((spec.params?.ids as string[] | undefined) ?? []));
          return store.query(spec);
        } },
      });
      const writer = new IngestWriter(counting);
      await writer.useLog(logDir(), (error) => assert.fail(String(error)));
      for (let waited = 0; !queried["events.idsPage"] && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      await writer.caughtUp();
      queried["events.committedIds"] = [];

      const fresh = events(Array.from({ length: 40 }, (_, i) => deployment(`filter-new-${i}`)));
      for (const event of fresh) assert.equal((await writer.writeEvents([event])).accepted, 1);
      assert.ok(queried["events.committedIds"].length <= 4, `looked up ${queried["events.committedIds"].length} of 40 new ids`);

      const again = await writer.writeEvents([old!, fresh[0]!]);
      assert.deepEqual([again.accepted, again.duplicates], [0, 2]);
      assert.ok(queried["events.committedIds"].includes(old!.id), "an id in the journal is looked up");
      await writer.close();
    });

    it("loads what a crashed process left in the log once, without the torn line its crash cut short", async () => {
      const [stored, unloaded, torn] = events([deployment("left-1"), deployment("left-2"), deployment("left-3")]);
      await writeEvents(store, [stored!]); // loaded before the crash, its segment not yet removed
      const dir = logDir();
      const line = (event: DrumbeatEvent) => `${JSON.stringify(event)}\n`;
      writeFileSync(join(dir, "000000000007.ndjson"), line(stored!) + line(unloaded!) + line(torn!).slice(0, 40));

      const writer = new IngestWriter(store);
      await writer.useLog(dir, (error) => assert.fail(String(error)));
      assert.equal(await journalCount([stored!.id, unloaded!.id]), 2);
      assert.equal(await journalCount([torn!.id]), 0);
      assert.equal(await count("SELECT count() AS n FROM deployments FINAL WHERE deployment_id IN ('left-1', 'left-2')"), 2);
      assert.deepEqual(readdirSync(dir), ["000000000008.ndjson"], "the left-over segment is removed; appends go to the next");
      const retry = await writer.writeEvents([unloaded!]);
      assert.deepEqual([retry.accepted, retry.duplicates], [0, 1]);
      await writer.close();
    });
  });
});
