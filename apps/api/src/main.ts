// Telemetry first: instrumentation must patch http and express before they load.
import { startTelemetry } from "./telemetry.ts";
const telemetry = startTelemetry();

const { apiConfigFromEnv } = await import("./config.ts");
const { startApi } = await import("./server.ts");

try {
  const api = await startApi(apiConfigFromEnv());
  const stop = async () => {
    await api.close();
    await telemetry?.shutdown();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  console.error(`drumbeat api: ${(error as Error).message}`);
  process.exit(1);
}
