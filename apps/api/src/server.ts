import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { migrate, openStore, type Store } from "@drumbeat/store";
import { createApp } from "./app.ts";
import type { ApiConfig } from "./config.ts";
import { AnnotationPusher } from "./grafana/annotationPush.ts";
import { createLogger } from "./logger.ts";

export interface RunningApi {
  url: string;
  store: Store;
  server: Server;
  close(): Promise<void>;
}

/** Opens the store, applies migrations, and listens. Resolves once the port is bound. */
export async function startApi(config: ApiConfig): Promise<RunningApi> {
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.store);
  try {
    const report = await migrate(store);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, "migrations applied");
  } catch (error) {
    await store.close();
    throw error;
  }
  const annotations = config.grafana.url && config.grafana.token
    ? new AnnotationPusher({ url: config.grafana.url, token: config.grafana.token, productionEnvironment: config.productionEnvironment, logger })
    : undefined;
  const server = createServer(createApp({ store, config, logger, afterWrite: annotations?.afterWrite }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, store: store.backend, auth: config.auth }, "drumbeat api listening");
  return {
    url,
    store,
    server,
    async close() {
      annotations?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await store.close();
    },
  };
}
