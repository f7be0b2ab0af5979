import { parentPort } from "node:worker_threads";
import type { DrumbeatEvent } from "@drumbeat/events";
import { encodeRows } from "./rows.ts";

/** The row encoder's thread (encoder.ts): log lines in, JSONEachRow bodies out. */
parentPort!.on("message", ({ id, lines }: { id: number; lines: string[] }) => {
  try {
    const events = lines.map((line) => JSON.parse(line) as DrumbeatEvent);
    parentPort!.postMessage({ id, rows: encodeRows(events, lines) });
  } catch (error) {
    parentPort!.postMessage({ id, error: String(error) });
  }
});
