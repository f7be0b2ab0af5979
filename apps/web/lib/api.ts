import type { DeploymentDetail, DeploymentPage, ServiceCatalog } from "./types.ts";
import type { DeploymentFilters } from "./filters.ts";

/**
 * The dashboard's only data source: the Drumbeat query API. Read at request time, so one
 * build serves any API address (`drumbeat serve` sets DRUMBEAT_API_URL for the child it spawns).
 */
function apiBaseUrl(): string {
  return (process.env.DRUMBEAT_API_URL || "http://127.0.0.1:3000").replace(/\/+$/, "");
}

export type ApiFailure = "unreachable" | "unauthorized" | "not_found" | "rejected";

export class ApiError extends Error {
  constructor(
    readonly failure: ApiFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

function failureFor(status: number): ApiFailure {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "not_found";
  return "rejected";
}

async function getJson<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
  const url = new URL(apiBaseUrl() + path);
  for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
  const headers: Record<string, string> = { accept: "application/json" };
  const token = process.env.DRUMBEAT_WEB_TOKEN;
  if (token) headers.authorization = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(url, { headers, cache: "no-store", signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    const reason = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ApiError("unreachable", `the Drumbeat API at ${apiBaseUrl()} did not answer (${reason})`);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
    const detail = body?.message ?? response.statusText;
    throw new ApiError(failureFor(response.status), `the API answered ${response.status}: ${detail}`, response.status);
  }
  return (await response.json()) as T;
}

export const DEFAULT_PAGE_SIZE = 25;

export function listDeployments(filters: DeploymentFilters, cursor?: string, limit = DEFAULT_PAGE_SIZE) {
  return getJson<DeploymentPage>("/api/v1/deployments", { ...filters, cursor, limit: String(limit) });
}

export function getDeployment(deploymentId: string) {
  return getJson<DeploymentDetail>(`/api/v1/deployments/${encodeURIComponent(deploymentId)}`);
}

export function listServices() {
  return getJson<ServiceCatalog>("/api/v1/services");
}
