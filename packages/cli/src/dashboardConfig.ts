import { z } from "zod";
import { CliError } from "./errors.ts";

export const DashboardConfig = z.object({
  port: z.coerce.number().int().min(1).max(65_535).default(3001),
  token: z.string().min(1).optional(),
});
export type DashboardConfig = z.output<typeof DashboardConfig>;

const ENV_NAMES: Record<string, string> = { port: "DRUMBEAT_WEB_PORT", token: "DRUMBEAT_WEB_TOKEN" };

/**
 * The dashboard's settings, checked before anything starts. The dashboard has no sign-in
 * yet: whoever reaches it reads with its token, so a shared read token is only allowed on
 * a loopback address, as anonymous mode is.
 */
export function dashboardConfigFromEnv(env: NodeJS.ProcessEnv, api: { host: string; loopback: boolean; auth: "on" | "off" }): DashboardConfig {
  const result = DashboardConfig.safeParse({ port: env.DRUMBEAT_WEB_PORT || undefined, token: env.DRUMBEAT_WEB_TOKEN || undefined });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${ENV_NAMES[issue.path.join(".")] ?? issue.path.join(".")}: ${issue.message}`);
    throw new CliError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  if (result.data.token && api.auth === "on" && !api.loopback) {
    throw new CliError(
      `invalid configuration:\n  DRUMBEAT_WEB_TOKEN: the dashboard has no sign-in yet, so on HOST=${api.host} it would show what this ` +
        "read token can see to anyone who reaches its port; listen on a loopback address (HOST=127.0.0.1) behind your own " +
        "authenticating proxy, or run `drumbeat serve --no-web`",
    );
  }
  return result.data;
}
