import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseEventBatch, type EventIssue } from "@drumbeat/events";
import { API_FLAGS, API_USAGE } from "../apiFlags.ts";
import { apiTargetFromEnv, type ApiTarget } from "../client.ts";
import { parseFlags, type Command } from "../command.ts";
import { CliError } from "../errors.ts";
import { IngestTotals, postBatch } from "../ingest.ts";
import { startProgress, type Progress } from "../progress.ts";

/** A batch is also cut at this size, well under the API's default 16 MiB body limit. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Enough to see what is wrong; a broken export would otherwise print one line per event. */
const MAX_REPORTED_ISSUES = 50;

interface Batch {
  lines: string[];
  /** 1-based file line of each entry of `lines`. */
  lineNumbers: number[];
  bytes: number;
}

const emptyBatch = (): Batch => ({ lines: [], lineNumbers: [], bytes: 0 });

/** Every problem of a batch, by file line and field path; empty when the batch is valid. */
function batchProblems(batch: Batch): string[] {
  const items: unknown[] = [];
  const issues: EventIssue[] = [];
  batch.lines.forEach((line, index) => {
    try {
      items.push(JSON.parse(line));
    } catch (error) {
      issues.push({ index, path: "", message: `not valid JSON (${(error as Error).message})` });
      items.push(undefined);
    }
  });
  const parsed = parseEventBatch(items);
  // A line that is not JSON also fails the schema; its JSON error says more.
  const unparsable = new Set(issues.map((issue) => issue.index));
  if (!parsed.ok) issues.push(...parsed.issues.filter((issue) => !unparsable.has(issue.index)));
  return issues
    .sort((a, b) => a.index - b.index)
    .map((issue) => `line ${batch.lineNumbers[issue.index]}: ${issue.path || "(event)"}: ${issue.message}`);
}

async function importStream(input: NodeJS.ReadableStream, target: ApiTarget, batchSize: number, progress: Progress, totalBytes?: number) {
  const totals = new IngestTotals();
  let batch = emptyBatch();
  let bytesRead = 0;
  let lineNumber = 0;

  const flush = async () => {
    if (batch.lines.length === 0) return;
    const problems = batchProblems(batch);
    if (problems.length > 0) {
      progress.finish();
      const shown = problems.slice(0, MAX_REPORTED_ISSUES);
      if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
      throw new CliError(
        `invalid events in lines ${batch.lineNumbers[0]}-${batch.lineNumbers.at(-1)}, nothing of that batch was sent:\n  ${shown.join("\n  ")}\n` +
          `${totals.sent} events before line ${batch.lineNumbers[0]} were already imported (${totals.accepted} new); ` +
          "importing the whole file again after a fix is safe: stored events count as duplicates.",
      );
    }
    totals.add(await postBatch(target, { ndjson: batch.lines.join("\n") + "\n" }));
    batch = emptyBatch();
    progress.update(totals.sent, totalBytes ? bytesRead / totalBytes : undefined);
  };

  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    const size = Buffer.byteLength(line) + 1;
    bytesRead += size;
    if (line.trim() === "") continue;
    if (batch.bytes + size > MAX_BATCH_BYTES) await flush();
    batch.lines.push(line);
    batch.lineNumbers.push(lineNumber);
    batch.bytes += size;
    if (batch.lines.length >= batchSize) await flush();
  }
  await flush();
  progress.finish();
  return totals;
}

export const eventsCommand: Command = {
  name: "events",
  summary: "events import FILE|-: load an NDJSON file of events through the API, in batches",
  usage: `drumbeat events import FILE|- [--batch-size N] ${API_USAGE}`,
  async run(args) {
    const { values, positionals } = parseFlags(args, { ...API_FLAGS, "batch-size": { type: "string", default: "1000" } }, this.usage, true);
    const [action, file] = positionals;
    if (action !== "import" || !file || positionals.length !== 2) throw new CliError(`usage: ${this.usage}`, 2);
    const batchSize = Number(values["batch-size"]);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
      throw new CliError(`--batch-size must be an integer from 1 to 100000, not '${values["batch-size"]}'`, 2);
    }

    let totalBytes: number | undefined;
    if (file !== "-") {
      try {
        totalBytes = statSync(file).size;
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 2);
      }
    }
    const input = file === "-" ? process.stdin : createReadStream(file);
    const progress = startProgress({ label: `importing ${file === "-" ? "stdin" : file}` });
    const totals = await importStream(input, apiTargetFromEnv(values), batchSize, progress, totalBytes);
    console.log(`imported ${file === "-" ? "stdin" : file}: ${totals.summary()}`);
  },
};
