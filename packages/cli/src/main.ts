import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";
import { demoCommand } from "./commands/demo.ts";
import { digestCommand } from "./commands/digest.ts";
import { deployCommand } from "./commands/deploy.ts";
import { eventsCommand } from "./commands/events.ts";
import { migrateCommand } from "./commands/migrate.ts";
import { reportCommand } from "./commands/report.ts";
import { reprocessCommand } from "./commands/reprocess.ts";
import { serveCommand } from "./commands/serve.ts";
import { tokenCommand } from "./commands/token.ts";

const commands: Command[] = [serveCommand, migrateCommand, tokenCommand, reprocessCommand, deployCommand, reportCommand, eventsCommand, demoCommand, digestCommand];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: drumbeat <command> [options]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Environment: DRUMBEAT_URL and DRUMBEAT_TOKEN for commands that talk to the API;",
    "the README lists every variable.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`drumbeat: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  try {
    await command.run(args);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`drumbeat ${name}: ${error.message}`);
      return error.exitCode;
    }
    console.error(`drumbeat ${name}: ${(error as Error).message}`);
    return 1;
  }
}
