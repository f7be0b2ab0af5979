import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseFlags, type Command } from "../command.ts";
import { dashboardConfigFromEnv } from "../dashboardConfig.ts";
import { CliError } from "../errors.ts";

const require = createRequire(import.meta.url);

/** Starts the dashboard (a built Next.js app) as a child process talking to the API. */
function startDashboard(apiUrl: string, port: number, host: string): ChildProcess {
  const webDir = dirname(require.resolve("@drumbeat/web/package.json"));
  if (!existsSync(join(webDir, ".next", "BUILD_ID"))) {
    throw new CliError("the dashboard is not built: run `npm run build` (npm start does it), or pass --no-web");
  }
  const nextBin = require.resolve("next/dist/bin/next", { paths: [webDir] });
  return spawn(process.execPath, [nextBin, "start", "--port", String(port), "--hostname", host], {
    cwd: webDir,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DRUMBEAT_API_URL: apiUrl, PORT: String(port) },
  });
}

export const serveCommand: Command = {
  name: "serve",
  summary: "run the API and the dashboard (embedded ClickHouse unless CLICKHOUSE_URL is set)",
  usage: "drumbeat serve [--no-web]",
  async run(args) {
    const { values } = parseFlags(args, { "no-web": { type: "boolean" } }, this.usage);
    // Telemetry must patch http/express before they load, hence the dynamic imports.
    const { startTelemetry } = await import("@drumbeat/api/telemetry");
    const telemetry = startTelemetry();
    const { apiConfigFromEnv, isLoopback, startApi } = await import("@drumbeat/api");
    let config;
    try {
      config = apiConfigFromEnv();
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const dashboard = values["no-web"] ? undefined : dashboardConfigFromEnv(process.env, { host: config.host, loopback: isLoopback(config.host), auth: config.auth });
    const api = await startApi(config);
    const web = dashboard ? startDashboard(api.url, dashboard.port, config.host) : undefined;
    if (web) console.error(`drumbeat: API at ${api.url}, dashboard at http://${config.host}:${dashboard!.port}`);

    let stopping = false;
    const stop = async (code: number) => {
      if (stopping) return;
      stopping = true;
      web?.kill("SIGTERM");
      await api.close();
      await telemetry?.shutdown();
      process.exit(code);
    };
    web?.once("exit", (code) => {
      if (!stopping) {
        console.error(`drumbeat: the dashboard exited (${code}); stopping`);
        void stop(1);
      }
    });
    process.once("SIGINT", () => void stop(0));
    process.once("SIGTERM", () => void stop(0));
  },
};
