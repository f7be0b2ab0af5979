import { z } from "zod";
import type { Store } from "../store.ts";
import { IdFilter } from "./idFilter.ts";

/** Ids read per query while a filter is built: each page's parse stays a short pause. */
const PAGE = 100_000;
/** The smallest filter built (1.25 MB): room for a young store to grow into. */
const MIN_CAPACITY = 1_000_000;

const IdRow = z.object({ id: z.string() });

/**
 * Which ids the `events` journal may hold, kept in memory for the ingest log's writer, so
 * that its duplicate lookup (a query, about 2 ms of the embedded engine's time whatever it
 * asks) runs only for the ids that may be there: retries, and the ~1% of new ids the
 * filter cannot rule out. Built in the background from the journal when the log opens
 * (until then every id is looked up), and again, larger, once it has taken more ids than
 * it was sized for. Every id the log takes is added, those waiting in the log when a build
 * starts included, so an id in the journal is never ruled out: the journal is written
 * by this process alone (the embedded engine's data directory is its own).
 */
export class JournalFilter {
  private current: IdFilter | undefined;
  private building: IdFilter | undefined;

  constructor(
    private readonly store: Store,
    /** Ids in the log, not yet in the journal. */
    private readonly waiting: () => Iterable<string>,
  ) {}

  /** Of `ids`, those the journal may hold (all of them until the first build is done). */
  mayHold(ids: readonly string[]): string[] {
    const filter = this.current;
    return filter ? ids.filter((id) => filter.mightHave(id)) : [...ids];
  }

  /** Notes ids on their way into the journal. */
  add(ids: Iterable<string>): void {
    for (const id of ids) {
      this.current?.add(id);
      this.building?.add(id);
    }
    if (this.current?.full && !this.building) void this.build();
  }

  /** Builds a filter of everything in the journal and then uses it. */
  async build(): Promise<void> {
    if (this.building) return;
    try {
      const [{ n }] = await this.store.query({
        name: "events.count", sql: "SELECT count() AS n FROM events", rows: z.object({ n: z.number() }), waitForIngest: false,
      }) as [{ n: number }];
      const filter = new IdFilter(Math.max(MIN_CAPACITY, 2 * n));
      this.building = filter;
      for (const id of this.waiting()) filter.add(id);
      for (let after = ""; ;) {
        const rows = await this.store.query({
          name: "events.idsPage",
          sql: "SELECT id FROM events WHERE id > {after:String} ORDER BY id LIMIT {limit:UInt32}",
          params: { after, limit: PAGE },
          rows: IdRow,
          waitForIngest: false,
        });
        for (const row of rows) filter.add(row.id);
        if (rows.length < PAGE) break;
        after = rows.at(-1)!.id;
      }
      this.current = filter;
    } catch (error) {
      process.emitWarning(`the ingest writer's journal filter could not be built (${String(error)}); every id is looked up`, "DrumbeatIngest");
    } finally {
      this.building = undefined;
    }
  }
}
