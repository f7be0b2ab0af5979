import { z } from "zod";
import { CliError } from "./errors.ts";

/**
 * Sign-in through a trusted proxy (docs/dashboard.md): all three together or none, so a
 * half-configured trust is refused by name rather than silently trusting nobody.
 */
const ProxyTrust = z.object({
  proxyHeader: z.string().regex(/^[A-Za-z0-9-]+$/, "must be a header name, e.g. X-Forwarded-Email").optional(),
  proxySecret: z.string().min(32, "must be at least 32 characters: a client must not be able to guess it").optional(),
  proxyToken: z.string().min(1).optional(),
});

export const DashboardConfig = z.object({
  port: z.coerce.number().int().min(1).max(65_535).default(3001),
  token: z.string().min(1).optional(),
}).extend(ProxyTrust.shape).superRefine((config, context) => {
  const given = [config.proxyHeader, config.proxySecret, config.proxyToken].filter((value) => value !== undefined).length;
  if (given === 0 || given === 3) return;
  for (const key of ["proxyHeader", "proxySecret", "proxyToken"] as const) {
    if (config[key] === undefined) context.addIssue({ code: "custom", path: [key], message: "required with the other trusted-proxy settings" });
  }
});
export type DashboardConfig = z.output<typeof DashboardConfig>;

const ENV_NAMES: Record<string, string> = {
  port: "DRUMBEAT_WEB_PORT",
  token: "DRUMBEAT_WEB_TOKEN",
  proxyHeader: "DRUMBEAT_WEB_TRUSTED_PROXY_HEADER",
  proxySecret: "DRUMBEAT_WEB_TRUSTED_PROXY_SECRET",
  proxyToken: "DRUMBEAT_WEB_PROXY_TOKEN",
};

/**
 * The dashboard's settings, checked before anything starts. Whoever reaches the dashboard
 * without signing in reads with the shared token, so a shared read token is only allowed on
 * a loopback address, as anonymous mode is.
 */
export function dashboardConfigFromEnv(env: NodeJS.ProcessEnv, api: { host: string; loopback: boolean; auth: "on" | "off" }): DashboardConfig {
  const result = DashboardConfig.safeParse({
    port: env.DRUMBEAT_WEB_PORT || undefined,
    token: env.DRUMBEAT_WEB_TOKEN || undefined,
    proxyHeader: env.DRUMBEAT_WEB_TRUSTED_PROXY_HEADER || undefined,
    proxySecret: env.DRUMBEAT_WEB_TRUSTED_PROXY_SECRET || undefined,
    proxyToken: env.DRUMBEAT_WEB_PROXY_TOKEN || undefined,
  });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${ENV_NAMES[issue.path.join(".")] ?? issue.path.join(".")}: ${issue.message}`);
    throw new CliError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  if (result.data.token && api.auth === "on" && !api.loopback) {
    throw new CliError(
      `invalid configuration:\n  DRUMBEAT_WEB_TOKEN: on HOST=${api.host} it would show what this ` +
        "read token can see to anyone who reaches the dashboard's port without signing in; listen on a loopback address (HOST=127.0.0.1) behind your own " +
        "authenticating proxy, or run `drumbeat serve --no-web`",
    );
  }
  return result.data;
}
