import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import type { ImpactRefresher } from "@drumbeat/analysis";
import { migrate, openStore, setMetricsRetention, writerOf, type Store } from "@drumbeat/store";
import { createApp } from "./app.ts";
import { usecaseBreaksSetting, type ApiConfig } from "./config.ts";
import { DigestScheduler } from "./digest/scheduler.ts";
import { DigestService } from "./digest/service.ts";
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
    await setMetricsRetention(store, config.metricsTtlDays);
    // The embedded engine's data directory is this process's alone, so it can hold the
    // ingest log too; a server is shared by replicas and keeps synchronous inserts.
    if (store.backend === "embedded") {
      await writerOf(store).useLog(join(config.store.dataDir, "ingest-log"), (error, events) =>
        logger.error({ err: error, events }, "loading logged events into the engine failed"));
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  const annotations = config.grafana.url && config.grafana.token
    ? new AnnotationPusher({ url: config.grafana.url, token: config.grafana.token, productionEnvironment: config.productionEnvironment, logger })
    : undefined;
  const { digest } = config;
  const digests = new DigestService(store, { productionEnvironment: config.productionEnvironment, incidentWindowHours: config.cfrIncidentWindowHours, detectRollbacks: config.detectRollbacks === "on", countRegressions: config.cfrCountRegressions === "on", countUsecaseBreaks: usecaseBreaksSetting(config) }, {
    smtpUrl: digest.smtpUrl, from: digest.from, to: digest.to, teams: config.collectors.digest.teams,
    dashboardUrl: digest.dashboardUrl, settleMs: digest.settleMs, leaseMs: digest.leaseMs,
  }, logger);
  const app = createApp({ store, config, logger, digests, afterWrite: annotations?.afterWrite });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, store: store.backend, auth: config.auth }, "drumbeat api listening");
  // The scheduler runs only where a digest can be mailed; its catch-up send runs after the listen, in the background.
  const scheduler = digest.smtpUrl && digest.from && digests.audiences().length > 0
    ? new DigestScheduler(digests, { cron: digest.cron, timezone: digest.timezone, retryMs: digest.retryMinutes * 60_000 }, logger)
    : undefined;
  scheduler?.start().catch((error) => logger.error({ err: error }, "digest scheduler failed to start"));
  return {
    url,
    store,
    server,
    async close() {
      (app.locals.impactRefresher as ImpactRefresher).close();
      clearInterval(app.locals.collectorImport as NodeJS.Timeout | undefined);
      annotations?.close();
      scheduler?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await writerOf(store).close();
      await store.close();
    },
  };
}
