import { z } from "zod";
import type { DrumbeatEvent } from "@drumbeat/events";
import { StoreError } from "../errors.ts";
import type { Store } from "../store.ts";
import { Coalescer, type CoalesceLimits } from "./coalescer.ts";
import { EventLog } from "./eventLog.ts";
import { JournalFilter } from "./journalFilter.ts";
import { LOAD_PACING, LogLoader } from "./logLoader.ts";
import { flushMetrics, type MetricWrite } from "./metrics.ts";
import { RowEncoder } from "./encoder.ts";
import { encodeRows, type EncodedRows } from "./rows.ts";

export interface WriteResult {
  accepted: number;
  duplicates: number;
  /** Ids of the events that were new. */
  ids: string[];
}

/** A few milliseconds or 10,000 rows, whichever first (docs/ingest.md). */
export const INGEST_LIMITS: CoalesceLimits = { maxDelayMs: 4, maxRows: 10_000 };

/** Lookups are chunked so a large batch never becomes one enormous parameter. */
const LOOKUP_CHUNK = 5_000;

/** Ids with a journal row: events whose every row is stored (see writeFresh). */
async function committedIds(store: Store, ids: string[]): Promise<Set<string>> {
  const known = new Set<string>();
  if (ids.length === 0) return known;
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const rows = await store.query({
      name: "events.committedIds",
      sql: "SELECT id FROM events WHERE id IN {ids:Array(String)}", // not DISTINCT: a third of the query's cost, and `known` is a set
      params: { ids: ids.slice(i, i + LOOKUP_CHUNK) },
      rows: z.object({ id: z.string() }),
      waitForIngest: false, // the caller checks the log's own ids

    });
    for (const row of rows) known.add(row.id);
  }
  return known;
}

/**
 * The commit protocol: every typed row first, the journal row last. A journal row thus
 * means the event is fully stored; an insert cut short (kill -9, an engine error) leaves
 * typed rows without their journal row, so the event still counts as new and its retry
 * writes it again whole. The typed tables are ReplacingMergeTrees whose keys include the
 * event id (or are the event's own key), and readers collapse them, so rows written twice
 * count once.
 */
async function writeFresh(store: Store, events: readonly DrumbeatEvent[]): Promise<void> {
  if (events.length > 0) await writeEncoded(store, encodeRows(events));
}

/** writeFresh for rows already encoded (by the ingest log's encoder). */
async function writeEncoded(store: Store, rows: EncodedRows): Promise<void> {
  // Settled, not Promise.all: a failed write returns only once none of its inserts is still running.
  const outcomes = await Promise.allSettled(rows.typed.map(([table, body]) => store.insertJsonEachRow(table, body)));
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  await store.insertJsonEachRow("events", rows.journal);
}

/**
 * Writes the events of several requests in one pass: ids already committed (or in the
 * ingest log, waiting to be loaded), or earlier in this pass (a concurrent duplicate),
 * count as duplicates of the request that sent them again; the rest is written once,
 * by `persist`: straight into the engine, or into the ingest log (whose writer looks up
 * only the ids its journal filter cannot rule out).
 */
async function flushEvents(
  store: Store,
  requests: (readonly DrumbeatEvent[])[],
  persist: (fresh: DrumbeatEvent[]) => Promise<void> | void = (fresh) => writeFresh(store, fresh),
  logged: ReadonlySet<string> = new Set(),
  mayBeCommitted: (ids: string[]) => string[] = (ids) => ids,
): Promise<WriteResult[]> {
  const ids = [...new Set(requests.flat().map((event) => event.id))];
  const known = await committedIds(store, mayBeCommitted(ids.filter((id) => !logged.has(id))));
  for (const id of ids) if (logged.has(id)) known.add(id);
  const fresh: DrumbeatEvent[] = [];
  const results = requests.map((events) => {
    const ids: string[] = [];
    for (const event of events) {
      if (known.has(event.id)) continue;
      known.add(event.id);
      fresh.push(event);
      ids.push(event.id);
    }
    return { accepted: ids.length, duplicates: events.length - ids.length, ids };
  });
  await persist(fresh);
  return results;
}

const writers = new WeakMap<Store, IngestWriter>();

/** The one writer of a store, shared by every route of the process. */
export function writerOf(store: Store): IngestWriter {
  let writer = writers.get(store);
  if (!writer) {
    writer = new IngestWriter(store);
    writers.set(store, writer);
  }
  return writer;
}

/** Durably writes validated events, once each, through the store's shared writer. */
export function writeEvents(store: Store, events: readonly DrumbeatEvent[]): Promise<WriteResult> {
  return writerOf(store).writeEvents(events);
}

/**
 * The shared write path of one store: events (from the events route, webhooks, use-case
 * results...), metric points (OTLP and /api/v1/metrics/points) and plain rows of other
 * tables go through it, coalesced into shared
 * inserts. Every promise resolves once its rows are durable.
 */
export class IngestWriter {
  private readonly events: Coalescer<DrumbeatEvent, WriteResult>;
  private readonly metrics: Coalescer<MetricWrite, boolean>;
  private readonly tables = new Map<string, Coalescer<object, void>>();
  private loader: LogLoader | undefined;
  private encoder: RowEncoder | undefined;
  private journal: JournalFilter | undefined;

  constructor(private readonly store: Store, private readonly limits: CoalesceLimits = INGEST_LIMITS) {
    this.events = new Coalescer((requests) => this.flushIsolated(requests), limits);
    this.metrics = new Coalescer(async (requests) => {
      const written = await flushMetrics(store, requests.map((request) => request[0]!));
      return written.map((value) => ({ status: "fulfilled", value }));
    }, limits, (requests) => requests.reduce((rows, write) => rows + write.points.length, 0));
  }

  /**
   * Writes one request's metric points (raw rows, derived points, batch marker), coalesced
   * with other metric requests; resolves false when its content was written before.
   */
  writeMetrics(write: MetricWrite): Promise<boolean> {
    return this.metrics.submit([write]);
  }

  /** Writes validated events once each; resolves when they are committed. */
  writeEvents(events: readonly DrumbeatEvent[]): Promise<WriteResult> {
    return this.events.submit(events);
  }

  /**
   * From now on, events are committed when they are in the ingest log in `dir` (appended
   * and fsynced) and loaded into the engine in the background (docs/ingest.md). Events an
   * earlier process logged but did not load are loaded first. For the embedded engine,
   * whose data directory is this process's alone; `onError` hears of failed loads.
   */
  async useLog(dir: string, onError: (error: unknown, events: number) => void, pacing = LOAD_PACING): Promise<void> {
    const { log, leftOver, leftOverSegments } = EventLog.open(dir);
    if (leftOver.length > 0) await flushEvents(this.store, [leftOver]);
    log.remove(leftOverSegments);
    const encoder = new RowEncoder();
    const loader = new LogLoader(log, dir, async (events, lines) => writeEncoded(this.store, await encoder.encode(events, lines)), onError, pacing);
    this.loader = loader;
    this.encoder = encoder;
    this.journal = new JournalFilter(this.store, () => loader.pendingIds);
    void this.journal.build();
    this.store.ingestLoaded = () => loader.caughtUp();
  }

  /** Resolves once every event acknowledged before this call can be read from the engine. */
  caughtUp(): Promise<void> {
    return this.loader?.caughtUp() ?? Promise.resolve();
  }

  /** Loads what the log still holds and closes it. */
  async close(): Promise<void> {
    await this.caughtUp();
    await this.loader?.close();
    await this.encoder?.close();
    this.loader = undefined;
    this.encoder = undefined;
    this.journal = undefined;
    delete this.store.ingestLoaded;
  }

  /**
   * Inserts rows into a table, coalesced with other requests for the same table. For
   * tables where a row written twice collapses (ReplacingMergeTree keys), as a failed
   * insert may be retried by its caller.
   */
  insert(table: string, rows: readonly object[]): Promise<void> {
    let coalescer = this.tables.get(table);
    if (!coalescer) {
      coalescer = new Coalescer(async (requests) => {
        await this.store.insert(table, requests.flat());
        return requests.map(() => ({ status: "fulfilled", value: undefined }));
      }, this.limits);
      this.tables.set(table, coalescer);
    }
    return coalescer.submit(rows);
  }

  private flush(requests: (readonly DrumbeatEvent[])[]): Promise<WriteResult[]> {
    const [loader, journal] = [this.loader, this.journal];
    if (!loader || !journal) return flushEvents(this.store, requests);
    const persist = (fresh: DrumbeatEvent[]) => {
      journal.add(fresh.map((event) => event.id));
      return loader.append(fresh);
    };
    return flushEvents(this.store, requests, persist, loader.pendingIds, (ids) => journal.mayHold(ids));
  }

  /**
   * A shared flush that fails is tried again request by request, so a request the
   * engine refuses fails alone rather than with the requests it was batched with.
   * Safe because a flush that did not commit is written again whole. Not when the
   * store is unreachable: every request would only fail again.
   */
  private async flushIsolated(requests: (readonly DrumbeatEvent[])[]): Promise<PromiseSettledResult<WriteResult>[]> {
    try {
      const results = await this.flush(requests);
      return results.map((value) => ({ status: "fulfilled", value }));
    } catch (error) {
      if (requests.length === 1 || (error instanceof StoreError && error.kind === "unavailable")) {
        return requests.map(() => ({ status: "rejected", reason: error }));
      }
      const outcomes: PromiseSettledResult<WriteResult>[] = [];
      for (const request of requests) {
        const [outcome] = await Promise.allSettled([this.flush([request]).then(([result]) => result!)]);
        outcomes.push(outcome!);
      }
      return outcomes;
    }
  }
}
