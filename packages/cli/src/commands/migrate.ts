import { migrate, openStore, storeConfigFromEnv } from "@drumbeat/store";
import { parseFlags, type Command } from "../command.ts";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "apply pending ClickHouse migrations (the API also does this at start-up)",
  usage: "drumbeat migrate",
  async run(args) {
    parseFlags(args, {}, this.usage);
    const store = await openStore(storeConfigFromEnv());
    try {
      const report = await migrate(store);
      console.log(
        report.applied.length > 0
          ? `applied ${report.applied.length} migration(s): ${report.applied.join(", ")}`
          : `nothing to apply (${report.alreadyApplied} already applied)`,
      );
    } finally {
      await store.close();
    }
  },
};
