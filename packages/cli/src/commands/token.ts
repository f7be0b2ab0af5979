import { TokenScope, createToken, migrate, openStore, storeConfigFromEnv } from "@drumbeat/store";
import { parseFlags, type Command } from "../command.ts";
import { CliError } from "../errors.ts";

/**
 * Creates an API token directly in the store. The embedded store belongs to one process,
 * so run this while the server is stopped (or against a ClickHouse server).
 */
export const tokenCommand: Command = {
  name: "token",
  summary: "create an API token: token create --scope ingest|read|admin [--name NAME]",
  usage: "drumbeat token create --scope ingest|read|admin [--scope ...] [--name NAME]",
  async run(args) {
    const { values, positionals } = parseFlags(args, {
      scope: { type: "string", multiple: true },
      name: { type: "string" },
    }, this.usage, true);
    if (positionals[0] !== "create" || positionals.length !== 1) throw new CliError(`usage: ${this.usage}`, 2);
    const scopes = (values.scope ?? []).map((scope) => {
      const parsed = TokenScope.safeParse(scope);
      if (!parsed.success) throw new CliError(`unknown scope '${scope}': use ingest, read or admin`, 2);
      return parsed.data;
    });
    if (scopes.length === 0) throw new CliError(`give at least one --scope\nusage: ${this.usage}`, 2);
    const store = await openStore(storeConfigFromEnv());
    try {
      await migrate(store);
      const created = await createToken(store, values.name ?? scopes.join("+"), scopes);
      console.error(`created token '${created.name}' with scopes ${created.scopes.join(", ")}; it is shown once:`);
      console.log(created.token);
    } finally {
      await store.close();
    }
  },
};
