import { Cron } from "croner";
import { z } from "zod";
import { CollectorsConfig, loadCollectorsConfig } from "@drumbeat/collectors";
import { StoreConfig, storeConfigFromEnv } from "@drumbeat/store";
import { DEFAULT_CORRELATION_SETTINGS, MetricRulesText, type CorrelationSettings, type DoraSettings } from "@drumbeat/analysis";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Only this machine can reach a server listening on `host`. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

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
    /** Days raw metric points are kept (the per-minute rollups keep 400). */
    metricsTtlDays: z.coerce.number().int().min(1).max(3_650).default(30),
    /** A database where an OpenTelemetry Collector's ClickHouse exporter writes metrics, read into the rollups. */
    metricsDatabase: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "a ClickHouse database name").optional(),
    /** Minutes of the before and after windows of each deployment. */
    impactWindowMinutes: z.coerce.number().int().min(5).max(24 * 60).default(30),
    /** Confidence of the rank test behind every verdict. */
    verdictConfidence: z.coerce.number().gt(0.5).lt(1).default(0.98),
    /** Relative change of medians a significant change may have and still pass. */
    verdictAllowedChange: z.coerce.number().min(0).max(10).default(0.1),
    /** Metric direction, group and criticality rules tried before the defaults. */
    metricRules: MetricRulesText.default([]),
    /** How many of a use case's latest runs its flakiness is judged over (docs/usecases.md). */
    usecaseFlakyWindow: z.coerce.number().int().min(2).max(1_000).default(10),
    /** More pass/fail flips than this within the window and a use case is flaky. */
    usecaseMaxFlips: z.coerce.number().int().min(0).max(1_000).default(3),
    /** How many of a service's latest deployments the use-case list reads (docs/usecases.md). */
    usecaseLookbackDeployments: z.coerce.number().int().min(10).max(100_000).default(50),
    /** How long a DORA request waits for changed services' facts before answering from their previous build. */
    doraBuildWaitMs: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
    /** `on`: a redeploy of an earlier version is a rollback of the deployments in between; `off`: only declared rollbacks. */
    detectRollbacks: z.enum(["on", "off"]).default("on"),
    /** `on`: a deployment whose before/after impact regressed a metric counts as a change failure (docs/dora.md). */
    cfrCountRegressions: z.enum(["on", "off"]).default("off"),
    /** `on`: a deployment that breaks a use case that is not flaky is a change failure (docs/dora.md). */
    cfrCountUsecaseBreaks: z.enum(["on", "off"]).default("off"),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Check every response against its schema (on outside production). */
    validateResponses: z.boolean().default(true),
    store: StoreConfig,
    /** Grafana's annotations API, for deployment markers (GRAFANA_URL and GRAFANA_TOKEN, both or neither). */
    grafana: z.object({ url: z.url().optional(), token: z.string().min(1).optional() })
      .refine((g) => !g.url === !g.token, { path: ["token"], message: "GRAFANA_URL and GRAFANA_TOKEN go together" })
      .prefault({}),
    /** The weekly digest (docs/digest.md). */
    digest: z.object({
      smtpUrl: z.url().optional(),
      from: z.string().min(3).optional(),
      to: z.array(z.email()).default([]),
      cron: z.string().refine((pattern) => {
        try {
          new Cron(pattern, { paused: true }).stop();
          return true;
        } catch {
          return false;
        }
      }, "not a cron expression").default("0 9 * * 1"),
      timezone: z.string().refine((zone) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, "not an IANA time zone").default("UTC"),
      retryMinutes: z.coerce.number().min(0.001).max(24 * 60).default(15),
      dashboardUrl: z.url().default("http://127.0.0.1:3001"),
      settleMs: z.number().int().min(0).default(2_000),
      leaseMs: z.number().int().min(1_000).default(15 * 60_000),
    }).prefault({}),
    /** Webhook mapping configuration and secrets (DRUMBEAT_COLLECTORS_CONFIG, DRUMBEAT_<SOURCE>_SECRET). */
    collectors: CollectorsConfig.prefault({}),
  })
  .refine((config) => config.auth === "on" || isLoopback(config.host), {
    path: ["auth"],
    message:
      "DRUMBEAT_AUTH=off is only allowed when listening on a loopback address (HOST=127.0.0.1 or ::1); " +
      "create a token with `drumbeat token create --scope admin` instead",
  });
export type ApiConfig = z.output<typeof ApiConfig>;

/** The correlation settings the configuration describes (docs/metrics.md). */
export function correlationSettingsOf(config: ApiConfig): CorrelationSettings {
  return {
    ...DEFAULT_CORRELATION_SETTINGS,
    windowMinutes: config.impactWindowMinutes,
    confidence: config.verdictConfidence,
    allowedChange: config.verdictAllowedChange,
    rules: [...config.metricRules, ...DEFAULT_CORRELATION_SETTINGS.rules],
  };
}
export type ApiConfigInput = z.input<typeof ApiConfig>;

const ENV_NAMES: Record<string, string> = {
  port: "PORT",
  host: "HOST",
  auth: "DRUMBEAT_AUTH",
  maxBodyBytes: "DRUMBEAT_MAX_BODY_BYTES",
  productionEnvironment: "DRUMBEAT_PRODUCTION_ENVIRONMENT",
  cfrIncidentWindowHours: "DRUMBEAT_CFR_INCIDENT_WINDOW_HOURS",
  metricsTtlDays: "DRUMBEAT_METRICS_TTL_DAYS",
  metricsDatabase: "DRUMBEAT_METRICS_DATABASE",
  impactWindowMinutes: "DRUMBEAT_IMPACT_WINDOW_MINUTES",
  verdictConfidence: "DRUMBEAT_VERDICT_CONFIDENCE",
  verdictAllowedChange: "DRUMBEAT_VERDICT_ALLOWED_CHANGE",
  metricRules: "DRUMBEAT_METRIC_RULES",
  usecaseFlakyWindow: "DRUMBEAT_USECASE_FLAKY_WINDOW",
  usecaseMaxFlips: "DRUMBEAT_USECASE_MAX_FLIPS",
  usecaseLookbackDeployments: "DRUMBEAT_USECASE_LOOKBACK_DEPLOYMENTS",
  doraBuildWaitMs: "DRUMBEAT_DORA_BUILD_WAIT_MS",
  detectRollbacks: "DRUMBEAT_DETECT_ROLLBACKS",
  cfrCountRegressions: "DRUMBEAT_CFR_COUNT_REGRESSIONS",
  cfrCountUsecaseBreaks: "DRUMBEAT_CFR_COUNT_USECASE_BREAKS",
  logLevel: "LOG_LEVEL",
  "grafana.url": "GRAFANA_URL",
  "grafana.token": "GRAFANA_TOKEN",
  "digest.smtpUrl": "SMTP_URL",
  "digest.from": "DRUMBEAT_DIGEST_FROM",
  "digest.to": "DRUMBEAT_DIGEST_TO",
  "digest.cron": "DRUMBEAT_DIGEST_CRON",
  "digest.timezone": "DRUMBEAT_DIGEST_TIMEZONE",
  "digest.retryMinutes": "DRUMBEAT_DIGEST_RETRY_MINUTES",
  "digest.dashboardUrl": "DRUMBEAT_DASHBOARD_URL",
  "store.dataDir": "DRUMBEAT_DATA_DIR",
  "store.url": "CLICKHOUSE_URL",
  "store.database": "CLICKHOUSE_DATABASE",
  "store.cluster": "CLICKHOUSE_CLUSTER",
  "store.queryTimeoutSeconds": "DRUMBEAT_QUERY_TIMEOUT_SECONDS",
  "store.queryMaxMemoryBytes": "DRUMBEAT_QUERY_MAX_MEMORY_BYTES",
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
    metricsTtlDays: env.DRUMBEAT_METRICS_TTL_DAYS || undefined,
    metricsDatabase: env.DRUMBEAT_METRICS_DATABASE || undefined,
    impactWindowMinutes: env.DRUMBEAT_IMPACT_WINDOW_MINUTES || undefined,
    verdictConfidence: env.DRUMBEAT_VERDICT_CONFIDENCE || undefined,
    verdictAllowedChange: env.DRUMBEAT_VERDICT_ALLOWED_CHANGE || undefined,
    metricRules: env.DRUMBEAT_METRIC_RULES || undefined,
    usecaseFlakyWindow: env.DRUMBEAT_USECASE_FLAKY_WINDOW || undefined,
    usecaseMaxFlips: env.DRUMBEAT_USECASE_MAX_FLIPS || undefined,
    usecaseLookbackDeployments: env.DRUMBEAT_USECASE_LOOKBACK_DEPLOYMENTS || undefined,
    doraBuildWaitMs: env.DRUMBEAT_DORA_BUILD_WAIT_MS || undefined,
    detectRollbacks: env.DRUMBEAT_DETECT_ROLLBACKS || undefined,
    cfrCountRegressions: env.DRUMBEAT_CFR_COUNT_REGRESSIONS || undefined,
    cfrCountUsecaseBreaks: env.DRUMBEAT_CFR_COUNT_USECASE_BREAKS || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    validateResponses: env.NODE_ENV !== "production",
    store: storeConfigFromEnv(env),
    grafana: { url: env.GRAFANA_URL || undefined, token: env.GRAFANA_TOKEN || undefined },
    digest: {
      smtpUrl: env.SMTP_URL || undefined,
      from: env.DRUMBEAT_DIGEST_FROM || undefined,
      to: env.DRUMBEAT_DIGEST_TO ? env.DRUMBEAT_DIGEST_TO.split(",").map((a) => a.trim()).filter(Boolean) : undefined,
      cron: env.DRUMBEAT_DIGEST_CRON || undefined,
      timezone: env.DRUMBEAT_DIGEST_TIMEZONE || undefined,
      retryMinutes: env.DRUMBEAT_DIGEST_RETRY_MINUTES || undefined,
      dashboardUrl: env.DRUMBEAT_DASHBOARD_URL || undefined,
    },
    collectors: loadCollectorsConfig(env),
    ...overrides,
  });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join(".");
    // digest.to.1 is DRUMBEAT_DIGEST_TO: a list's variable names its items too.
    return `${ENV_NAMES[key] ?? ENV_NAMES[issue.path.slice(0, 2).join(".")] ?? key}: ${issue.message}`;
  });
  throw new Error(`invalid configuration:\n  ${problems.join("\n  ")}`);
}

/** Use-case breaks as change failures (DRUMBEAT_CFR_COUNT_USECASE_BREAKS), flakiness judged as the use-case pages judge it. */
export function usecaseBreaksSetting(config: ApiConfig): DoraSettings["countUsecaseBreaks"] {
  return config.cfrCountUsecaseBreaks === "on" ? { flakyWindow: config.usecaseFlakyWindow, maxFlips: config.usecaseMaxFlips } : undefined;
}
