import express, { type Express } from "express";
import type { Logger } from "pino";
import type { Store } from "@drumbeat/store";
import { CollectorImporter, ImpactRefresher } from "@drumbeat/analysis";
import { correlationSettingsOf, usecaseBreaksSetting, type ApiConfig } from "./config.ts";
import { HttpError } from "./errors.ts";
import type { AfterWrite } from "./http/afterWrite.ts";
import type { AuthSettings } from "./http/auth.ts";
import { declaredLengthLimit } from "./http/declaredLength.ts";
import { errorHandler } from "./http/errorHandler.ts";
import { TokenCache } from "./http/tokenCache.ts";
import { ApiRouter } from "./http/route.ts";
import { catalogRoutes } from "./routes/catalog.ts";
import { deploymentRoutes } from "./routes/deployments.ts";
import type { DigestService } from "./digest/service.ts";
import { digestRoutes } from "./routes/digest.ts";
import { doraRoutes } from "./routes/dora.ts";
import { insightsRoutes } from "./routes/insights.ts";
import { eventRoutes } from "./routes/events.ts";
import { grafanaRoutes } from "./routes/grafana.ts";
import { healthRoutes } from "./routes/health.ts";
import { impactRoutes } from "./routes/impact.ts";
import { metricRoutes } from "./routes/metrics.ts";
import { openApiRoute } from "./routes/openapi.ts";
import { usecaseRoutes } from "./routes/usecases.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export interface AppDependencies {
  store: Store;
  config: ApiConfig;
  logger: Logger;
  /** Renders and sends the weekly digest. */
  digests: DigestService;
  /** Runs after each successful write with the new events (the Grafana annotation push). */
  afterWrite?: AfterWrite;
}

/** How often a Collector's tables (DRUMBEAT_METRICS_DATABASE) are read. */
const COLLECTOR_IMPORT_MS = 30_000;

/** The Express app: routes, auth and error handling over an open, migrated store. */
export function createApp({ store, config, logger, digests, afterWrite }: AppDependencies): Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag"); // a hash of every answer, and no client of this API sends If-None-Match
  app.set("query parser", "simple");
  app.locals.auth = { enabled: config.auth === "on", store, tokens: new TokenCache() } satisfies AuthSettings;
  app.use(declaredLengthLimit(config.maxBodyBytes));

  const api = new ApiRouter(config.validateResponses);
  healthRoutes(api, store);
  eventRoutes(api, store, config.maxBodyBytes, afterWrite);
  const correlation = correlationSettingsOf(config);
  const refresher = new ImpactRefresher(store, correlation, 2_000, (error) => logger.warn({ err: error }, "impact refresh failed"));
  app.locals.impactRefresher = refresher;
  if (config.metricsDatabase) {
    const importer = new CollectorImporter(store, config.metricsDatabase, (points) => refresher.notePoints(points));
    app.locals.collectorImport = setInterval(() => {
      importer.pass().catch((error) => logger.warn({ err: error }, "reading the Collector's metrics failed"));
    }, COLLECTOR_IMPORT_MS).unref();
  }
  metricRoutes(api, store, refresher, config.maxBodyBytes, correlation.rules);
  impactRoutes(api, store, { correlation, productionEnvironment: config.productionEnvironment, incidentWindowHours: config.cfrIncidentWindowHours });
  const usecaseSettings = {
    flakyWindow: config.usecaseFlakyWindow, maxFlips: config.usecaseMaxFlips, lookbackDeployments: config.usecaseLookbackDeployments,
  };
  deploymentRoutes(api, store, usecaseSettings);
  usecaseRoutes(api, store, usecaseSettings, config.maxBodyBytes);
  catalogRoutes(api, store);
  const dora = {
    productionEnvironment: config.productionEnvironment,
    incidentWindowHours: config.cfrIncidentWindowHours,
    detectRollbacks: config.detectRollbacks === "on",
    countRegressions: config.cfrCountRegressions === "on",
    countUsecaseBreaks: usecaseBreaksSetting(config),
    buildWaitMs: config.doraBuildWaitMs,
  };
  doraRoutes(api, store, dora);
  insightsRoutes(api, store, dora);
  grafanaRoutes(api, store, dora, config.maxBodyBytes);
  digestRoutes(api, digests);
  webhookRoutes(api, store, { collectors: config.collectors, authEnabled: config.auth === "on", maxBodyBytes: config.maxBodyBytes, afterWrite });
  openApiRoute(api);

  app.use(api.router);
  app.use((req, _res, next) => next(new HttpError(404, "not_found", `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(logger));
  return app;
}
