import express, { type Express } from "express";
import type { Logger } from "pino";
import type { Store } from "@drumbeat/store";
import type { ApiConfig } from "./config.ts";
import { HttpError } from "./errors.ts";
import type { AuthSettings } from "./http/auth.ts";
import { errorHandler } from "./http/errorHandler.ts";
import { ApiRouter } from "./http/route.ts";
import { catalogRoutes } from "./routes/catalog.ts";
import { deploymentRoutes } from "./routes/deployments.ts";
import { doraRoutes } from "./routes/dora.ts";
import { eventRoutes } from "./routes/events.ts";
import { healthRoutes } from "./routes/health.ts";
import { openApiRoute } from "./routes/openapi.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export interface AppDependencies {
  store: Store;
  config: ApiConfig;
  logger: Logger;
}

/** The Express app: routes, auth and error handling over an open, migrated store. */
export function createApp({ store, config, logger }: AppDependencies): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.locals.auth = { enabled: config.auth === "on", store } satisfies AuthSettings;

  const api = new ApiRouter(config.validateResponses);
  healthRoutes(api, store);
  eventRoutes(api, store, config.maxBodyBytes);
  deploymentRoutes(api, store);
  catalogRoutes(api, store);
  doraRoutes(api, store, {
    productionEnvironment: config.productionEnvironment, incidentWindowHours: config.cfrIncidentWindowHours, buildWaitMs: config.doraBuildWaitMs,
  });
  webhookRoutes(api, store, { collectors: config.collectors, authEnabled: config.auth === "on", maxBodyBytes: config.maxBodyBytes });
  openApiRoute(api);

  app.use(api.router);
  app.use((req, _res, next) => next(new HttpError(404, "not_found", `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(logger));
  return app;
}
