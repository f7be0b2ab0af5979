import { z } from "zod";
import { CollectorsConfig, loadCollectorsConfig } from "@drumbeat/collectors";
import { StoreConfig, storeConfigFromEnv } from "@drumbeat/store";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export const ApiConfig = z
  .object({
    port: z.coerce.number().int().min(0).max(65_535).default(3000),
    host: z.string().min(1).default("127.0.0.1"),
    /** `off` allows anonymous access, and only on a loopback address. */
    auth: z.enum(["on", "off"]).default("on"),
    /** Largest request body accepted, in bytes. */
    maxBodyBytes: z.coerce.number().int().min(1_024).default(16 * 1024 * 1024),
    /** The environment DORA figures are computed for. */
    productionEnvironment: z.string().min(1).default("production"),
    /** Hours after a deployment in which an incident of its service fails it (change failure rate); 0 disables. */
    cfrIncidentWindowHours: z.coerce.number().min(0).max(24 * 365).default(24),
    /** How long a DORA request waits for changed services' facts before answering from their previous build. */
    doraBuildWaitMs: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Check every response against its schema (on outside production). */
    validateResponses: z.boolean().default(true),
    store: StoreConfig,
    /** Webhook mapping configuration and secrets (DRUMBEAT_COLLECTORS_CONFIG, DRUMBEAT_<SOURCE>_SECRET). */
    collectors: CollectorsConfig.prefault({}),
  })
  .refine((config) => config.auth === "on" || LOOPBACK.has(config.host), {
    path: ["auth"],
    message:
      "DRUMBEAT_AUTH=off is only allowed when listening on a loopback address (HOST=127.0.0.1 or ::1); " +
      "create a token with `drumbeat token create --scope admin` instead",
  });
export type ApiConfig = z.output<typeof ApiConfig>;
export type ApiConfigInput = z.input<typeof ApiConfig>;

const ENV_NAMES: Record<string, string> = {
  port: "PORT",
  host: "HOST",
  auth: "DRUMBEAT_AUTH",
  maxBodyBytes: "DRUMBEAT_MAX_BODY_BYTES",
  productionEnvironment: "DRUMBEAT_PRODUCTION_ENVIRONMENT",
  cfrIncidentWindowHours: "DRUMBEAT_CFR_INCIDENT_WINDOW_HOURS",
  doraBuildWaitMs: "DRUMBEAT_DORA_BUILD_WAIT_MS",
  logLevel: "LOG_LEVEL",
  "store.dataDir": "DRUMBEAT_DATA_DIR",
  "store.url": "CLICKHOUSE_URL",
  "store.database": "CLICKHOUSE_DATABASE",
  "store.cluster": "CLICKHOUSE_CLUSTER",
};

/** Parses the environment once at start-up; a bad value throws naming the variable. */
export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ApiConfigInput> = {}): ApiConfig {
  const result = ApiConfig.safeParse({
    port: env.PORT || undefined,
    host: env.HOST || undefined,
    auth: env.DRUMBEAT_AUTH || undefined,
    maxBodyBytes: env.DRUMBEAT_MAX_BODY_BYTES || undefined,
    productionEnvironment: env.DRUMBEAT_PRODUCTION_ENVIRONMENT || undefined,
    cfrIncidentWindowHours: env.DRUMBEAT_CFR_INCIDENT_WINDOW_HOURS || undefined,
    doraBuildWaitMs: env.DRUMBEAT_DORA_BUILD_WAIT_MS || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    validateResponses: env.NODE_ENV !== "production",
    store: storeConfigFromEnv(env),
    collectors: loadCollectorsConfig(env),
    ...overrides,
  });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join(".");
    return `${ENV_NAMES[key] ?? key}: ${issue.message}`;
  });
  throw new Error(`invalid configuration:\n  ${problems.join("\n  ")}`);
}
