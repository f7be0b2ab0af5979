import { API_FLAGS, API_USAGE } from "../apiFlags.ts";
import { apiTargetFromEnv } from "../client.ts";
import { parseFlags, type Command } from "../command.ts";
import { generateDemo, MAX_DEMO_SERVICES } from "../demo/generate.ts";
import { CliError } from "../errors.ts";
import { IngestTotals, postBatch } from "../ingest.ts";
import { startProgress } from "../progress.ts";

const BATCH_SIZE = 1_000;
const DEFAULT_SEED = 42;

function integerFlag(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new CliError(`--${name} must be an integer from ${min} to ${max}, not '${raw}'`, 2);
  return value;
}

export const demoCommand: Command = {
  name: "demo",
  summary: "load a realistic, deterministic delivery history (default 90 days, 8 services) through the API",
  usage: `drumbeat demo [--days 90] [--services 8] [--seed ${DEFAULT_SEED}] [--end RFC3339] ${API_USAGE}`,
  async run(args) {
    const { values } = parseFlags(args, {
      ...API_FLAGS,
      days: { type: "string", default: "90" },
      services: { type: "string", default: "8" },
      seed: { type: "string", default: String(DEFAULT_SEED) },
      end: { type: "string" },
    }, this.usage);
    const end = values.end === undefined ? new Date() : new Date(values.end);
    if (Number.isNaN(end.getTime())) throw new CliError(`--end must be a date-time (RFC 3339), not '${values.end}'`, 2);
    const events = generateDemo({
      days: integerFlag("days", values.days, 1, 3_650),
      services: integerFlag("services", values.services, 1, MAX_DEMO_SERVICES),
      seed: integerFlag("seed", values.seed, 0, 2 ** 31 - 1),
      end,
    });

    const target = apiTargetFromEnv(values);
    const totals = new IngestTotals();
    const progress = startProgress({ label: "loading demo" });
    for (let i = 0; i < events.length; i += BATCH_SIZE) {
      totals.add(await postBatch(target, { json: events.slice(i, i + BATCH_SIZE) }));
      progress.update(totals.sent, totals.sent / events.length);
    }
    progress.finish();
    console.log(`demo loaded: ${totals.summary()}`);
    if (totals.accepted === 0 && totals.duplicates > 0) console.log("(this history was already loaded: pass another --seed for a different one)");
  },
};
