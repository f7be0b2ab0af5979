import { closeSync, fdatasync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { DrumbeatEvent } from "@drumbeat/events";

/** Segment files are named by a zero-padded sequence number, so names sort in write order. */
const SEGMENT = /^(\d{12})\.ndjson$/;
const segmentName = (sequence: number) => `${String(sequence).padStart(12, "0")}.ndjson`;

const fdatasyncAsync = promisify(fdatasync);

/**
 * The ingest log: validated events, one NDJSON line per event, appended and fsynced before
 * a request is answered, and removed once the engine has them (docs/ingest.md). Appends go
 * to the open segment; `seal` closes it so everything in it can be loaded and then removed
 * while new appends go to the next one. A line cut short by a crash was never
 * acknowledged (the answer waits for the fsync), so reading back skips it.
 */
export class EventLog {
  private fd: number;
  /** The open segment's syncs in flight: its file is closed only after them. */
  private syncs: Promise<void>[] = [];

  private constructor(
    private readonly dir: string,
    private sequence: number,
  ) {
    this.fd = openSync(join(dir, segmentName(sequence)), "a");
  }

  /** Opens the log in `dir`, returning it with the events of segments left by an earlier process. */
  static open(dir: string): { log: EventLog; leftOver: DrumbeatEvent[]; leftOverSegments: number[] } {
    mkdirSync(dir, { recursive: true });
    const sequences = readdirSync(dir).flatMap((name) => SEGMENT.exec(name)?.[1] ?? []).map(Number).sort((a, b) => a - b);
    const leftOver = sequences.flatMap((sequence) => readSegment(join(dir, segmentName(sequence))));
    const log = new EventLog(dir, (sequences.at(-1) ?? 0) + 1);
    return { log, leftOver, leftOverSegments: sequences };
  }

  /**
   * Appends events (their JSON, one line each) to the open segment at once and resolves
   * when they are on disk (fdatasync, off the event loop: requests are read meanwhile).
   */
  append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    writeSync(this.fd, `${lines.join("\n")}\n`);
    const synced = fdatasyncAsync(this.fd);
    this.syncs.push(synced);
    return synced;
  }

  /** Closes the open segment (once its syncs are done) and starts the next; returns the closed segment's number. */
  seal(): number {
    const [fd, syncs] = [this.fd, this.syncs];
    this.syncs = [];
    void Promise.allSettled(syncs).then(() => closeSync(fd));
    const sealed = this.sequence;
    this.sequence += 1;
    this.fd = openSync(join(this.dir, segmentName(this.sequence)), "a");
    return sealed;
  }

  /** Removes segments whose events the engine has. */
  remove(sequences: readonly number[]): void {
    for (const sequence of sequences) unlinkSync(join(this.dir, segmentName(sequence)));
  }

  /** Closes the open segment once its syncs are done. */
  async close(): Promise<void> {
    await Promise.allSettled(this.syncs);
    closeSync(this.fd);
  }
}

function readSegment(path: string): DrumbeatEvent[] {
  const events: DrumbeatEvent[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line === "") continue;
    try {
      events.push(JSON.parse(line) as DrumbeatEvent);
    } catch {
      // the torn tail of a write a crash cut short: never acknowledged
    }
  }
  return events;
}
