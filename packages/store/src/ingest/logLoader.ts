import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { DrumbeatEvent } from "@drumbeat/events";
import { StoreError } from "../errors.ts";
import type { EventLog } from "./eventLog.ts";

/**
 * Events waiting in the log beyond which appends wait for the load in progress: the log
 * absorbs bursts, not a sender that outruns the engine for good.
 */
const MAX_QUEUED = 50_000;

/**
 * How often a load pass starts while nobody waits to read: every insert makes a new part
 * per table (and its merges), whatever its size, so spacing passes turns a stream of
 * one-event requests into a few large inserts. A read that waits, or this many events
 * waiting, starts a pass at once.
 */
export const LOAD_PACING = { intervalMs: 250, events: 10_000 };

/** Backoff while the engine cannot be reached: from 100 ms up to 5 s. */
const RETRY_MS = { first: 100, max: 5_000 };

/**
 * Loads what the ingest log holds into the engine, in the background and in order: each
 * pass (paced: LOAD_PACING) takes every event appended since the last one (group commit:
 * the busier the traffic, the larger the insert), seals their segment, writes them with the commit
 * protocol and removes the segment. `caughtUp` lets a reader wait for everything
 * acknowledged before it asked.
 */
export class LogLoader {
  private queued: DrumbeatEvent[] = [];
  /** The queued events' lines in the log. */
  private queuedLines: string[] = [];
  /** Ids in the log, not yet in the engine: duplicates for the next request that sends them. */
  readonly pendingIds = new Set<string>();
  private appended = 0;
  private loaded = 0;
  private loading = false;
  private waiters: { target: number; resolve: () => void }[] = [];
  private loadInProgress: Promise<void> = Promise.resolve();
  private paced: NodeJS.Timeout | undefined;
  private lastPassAt = 0;

  constructor(
    private readonly log: EventLog,
    private readonly dir: string,
    /** Writes events (whose log lines are `lines`) into the engine with the commit protocol. */
    private readonly write: (events: DrumbeatEvent[], lines: string[]) => Promise<void>,
    private readonly onError: (error: unknown, events: number) => void,
    private readonly pacing = LOAD_PACING,
  ) {}

  /** Appends durably (on disk when this resolves), then loads in the background. */
  async append(events: readonly DrumbeatEvent[]): Promise<void> {
    if (events.length === 0) return;
    while (this.queued.length >= MAX_QUEUED) await this.loadInProgress;
    // Written to the open segment and queued in one synchronous step: a seal takes both.
    const lines = events.map((event) => JSON.stringify(event));
    const synced = this.log.append(lines);
    for (const event of events) this.pendingIds.add(event.id);
    this.queued.push(...events);
    this.queuedLines.push(...lines);
    this.appended += events.length;
    this.kick();
    await synced;
  }

  /** Resolves once every event appended before this call is in the engine. */
  caughtUp(): Promise<void> {
    const target = this.appended;
    if (this.loaded >= target) return Promise.resolve();
    const caughtUp = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.kick();
    return caughtUp;
  }

  close(): Promise<void> {
    clearTimeout(this.paced);
    return this.log.close();
  }

  /** Starts a pass now if someone waits or enough is queued, else at the pacing interval. */
  private kick(): void {
    if (this.loading || this.queued.length === 0) return;
    const wait = this.lastPassAt + this.pacing.intervalMs - Date.now();
    if (this.waiters.length > 0 || this.queued.length >= this.pacing.events || wait <= 0) {
      clearTimeout(this.paced);
      this.paced = undefined;
      this.loading = true;
      this.lastPassAt = Date.now();
      void this.pass().finally(() => {
        this.loading = false;
        this.kick();
      });
    } else {
      this.paced ??= setTimeout(() => {
        this.paced = undefined;
        this.kick();
      }, wait).unref(); // what waits is in the log already: nothing to keep a process alive for
    }
  }

  /** Loads every event queued so far, in one write. */
  private async pass(): Promise<void> {
    const [batch, lines] = [this.queued, this.queuedLines];
    [this.queued, this.queuedLines] = [[], []];
    const segment = this.log.seal(); // holds exactly `batch`: appends and seals run synchronously
    this.loadInProgress = this.load(batch, lines);
    await this.loadInProgress;
    this.log.remove([segment]);
    for (const event of batch) this.pendingIds.delete(event.id);
    this.loaded += batch.length;
    this.waiters = this.waiters.filter((waiter) => (this.loaded >= waiter.target ? (waiter.resolve(), false) : true));
  }

  /**
   * Never gives up on an acknowledged event: while the engine is unreachable the batch is
   * retried with backoff; an event the engine refuses (after the batch was split so it
   * fails alone) is kept in `rejected.ndjson` beside the log and reported.
   */
  private async load(batch: DrumbeatEvent[], lines: string[]): Promise<void> {
    for (let wait = RETRY_MS.first; ; wait = Math.min(wait * 2, RETRY_MS.max)) {
      try {
        await this.write(batch, lines);
        return;
      } catch (error) {
        this.onError(error, batch.length);
        if (!(error instanceof StoreError && error.kind === "unavailable")) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    for (const [index, event] of batch.entries()) {
      try {
        await this.write([event], [lines[index]!]);
      } catch (error) {
        appendFileSync(join(this.dir, "rejected.ndjson"), `${JSON.stringify({ error: String(error), event })}\n`);
      }
    }
  }
}
