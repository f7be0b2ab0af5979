export { createApp, type AppDependencies } from "./app.ts";
export { startApi, type RunningApi } from "./server.ts";
export { ApiConfig, apiConfigFromEnv, isLoopback, type ApiConfigInput } from "./config.ts";
export { startTelemetry } from "./telemetry.ts";
export { ApiRouter, type RouteDefinition } from "./http/route.ts";
export { HttpError, ValidationError } from "./errors.ts";
