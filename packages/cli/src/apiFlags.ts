import { apiTargetFromEnv, type ApiTarget } from "./client.ts";

/**
 * The flags that say where the API is, shared by every command that talks to it. Named
 * `--api-url` because `deploy --url` is the deployment's own link (its CI run).
 */
export const API_FLAGS = {
  "api-url": { type: "string" },
  token: { type: "string" },
} as const;

export const API_USAGE = "[--api-url URL] [--token TOKEN]";

export function apiTarget(values: { "api-url"?: string; token?: string }, env = process.env): ApiTarget {
  return apiTargetFromEnv({ url: values["api-url"], token: values.token }, env);
}
