import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./errors.ts";

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<void>;
}

/** parseArgs with strict options; an unknown or malformed flag becomes a usage error. */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nusage: ${usage}`, 2);
  }
}
