import { Worker } from "node:worker_threads";
import type { DrumbeatEvent } from "@drumbeat/events";
import { encodeRows, type EncodedRows } from "./rows.ts";

interface Pending {
  resolve(rows: EncodedRows): void;
  reject(error: Error): void;
}

/**
 * Encodes the ingest log's batches for the engine on a worker thread: building and
 * serialising the rows of a load is most of its cost in JavaScript, and the event loop
 * that answers requests is the ingest path's scarcest resource (docs/ingest.md). The
 * worker parses the log's own lines, whose text is also each event's journal payload.
 * Should the worker fail, batches are encoded on the calling thread from then on.
 */
export class RowEncoder {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor() {
    const worker = new Worker(new URL("./encodeWorker.ts", import.meta.url));
    worker.on("message", ({ id, rows, error }: { id: number; rows?: EncodedRows; error?: string }) => {
      const pending = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      if (rows) pending?.resolve(rows);
      else pending?.reject(new Error(error));
    });
    worker.on("error", (error) => this.retire(error));
    worker.on("exit", () => this.retire(new Error("the row encoder's worker exited")));
    worker.unref(); // held only while it encodes (encode)
    this.worker = worker;
  }

  /** The rows of `events`, whose JSON lines in the log are `lines`. */
  async encode(events: readonly DrumbeatEvent[], lines: readonly string[]): Promise<EncodedRows> {
    const worker = this.worker;
    if (!worker) return encodeRows(events, lines);
    const id = this.nextId++;
    try {
      return await new Promise<EncodedRows>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, lines });
      });
    } catch {
      return encodeRows(events, lines);
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private retire(error: Error): void {
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
