import { redirect } from "next/navigation";
import type { DeploymentFilters } from "./filters.ts";
import type { DoraQuery } from "./scope.ts";
import { proxySession } from "./proxyAuth.ts";
import { sessionToken } from "./session.ts";
import type {
  DeploymentDetail, DeploymentImpact, DeploymentPage, DoraFailures, DoraGroups, DoraLeadTimes, DoraSummary, DoraTimeseries, IncidentList,
  MetricCatalog, MetricSeries, BatchInsights, PromotionInsights, ReleaseWindow, ServiceCatalog, StrategyInsights, UsecaseHistory, UsecaseList, UsecaseMatrix,
} from "./types.ts";

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

/** One GET against the API with `token` (none: anonymous), without redirecting on 401. */
export async function fetchApi<T>(path: string, query: Record<string, string | undefined>, token: string | undefined): Promise<T> {
  const url = new URL(apiBaseUrl() + path);
  for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
  const headers: Record<string, string> = { accept: "application/json" };
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

/**
 * A read as the signed-in person (their token from the session cookie, else the proxy's read
 * token when a trusted proxy names them, else the shared DRUMBEAT_WEB_TOKEN). When the API refuses it, the person is sent to sign in: without a
 * token the API shows nothing, so neither does the dashboard.
 */
async function getJson<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
  try {
    const token = (await sessionToken()) ?? (await proxySession())?.token ?? process.env.DRUMBEAT_WEB_TOKEN;
    return await fetchApi<T>(path, query, token);
  } catch (error) {
    if (error instanceof ApiError && error.failure === "unauthorized") redirect("/signin");
    throw error;
  }
}

export const DEFAULT_PAGE_SIZE = 25;

export function listDeployments(filters: DeploymentFilters, cursor?: string, limit = DEFAULT_PAGE_SIZE) {
  return getJson<DeploymentPage>("/api/v1/deployments", { ...filters, cursor, limit: String(limit) });
}

/** The deployments of one service that reached their status in [from, to), newest first: at most `limit`. */
export function deploymentsBetween(scope: { service: string; environment: string; from: string; to: string }, limit = 500) {
  return getJson<DeploymentPage>("/api/v1/deployments", { ...scope, limit: String(limit) });
}

export function getDeployment(deploymentId: string) {
  return getJson<DeploymentDetail>(`/api/v1/deployments/${encodeURIComponent(deploymentId)}`);
}

export function listServices() {
  return getJson<ServiceCatalog>("/api/v1/services");
}

export function listIncidents(query: DoraQuery) {
  return getJson<IncidentList>("/api/v1/incidents", { ...query });
}

export function doraSummary(query: DoraQuery) {
  return getJson<DoraSummary>("/api/v1/dora", { ...query });
}

export function doraGroups(query: DoraQuery, groupBy: "service" | "team") {
  return getJson<DoraGroups>("/api/v1/dora", { ...query, groupBy });
}

export function doraTimeseries(query: DoraQuery, bucket: "day" | "week" | "month") {
  return getJson<DoraTimeseries>("/api/v1/dora/timeseries", { ...query, bucket });
}

export function doraFailures(query: DoraQuery, limit = 200) {
  return getJson<DoraFailures>("/api/v1/dora/failures", { ...query, limit: String(limit) });
}

export function doraLeadTimes(query: DoraQuery, limit = 50) {
  return getJson<DoraLeadTimes>("/api/v1/dora/lead-times", { ...query, limit: String(limit) });
}

export function listUsecases(scope: { service: string; environment: string }) {
  return getJson<UsecaseList>("/api/v1/usecases", scope);
}

export function usecaseMatrix(scope: { service: string; environment: string }, limit = 30) {
  return getJson<UsecaseMatrix>("/api/v1/usecases/matrix", { ...scope, limit: String(limit) });
}

export function usecaseHistory(scope: { service: string; environment: string }, usecase: string) {
  return getJson<UsecaseHistory>(`/api/v1/usecases/${encodeURIComponent(usecase)}/history`, scope);
}

export function deploymentImpact(deploymentId: string) {
  return getJson<DeploymentImpact>(`/api/v1/deployments/${encodeURIComponent(deploymentId)}/impact`);
}

export function listMetrics(scope: { service: string; environment: string }) {
  return getJson<MetricCatalog>("/api/v1/metrics", scope);
}

export function metricSeries(query: { service: string; environment: string; metric: string; from: string; to: string; step: number }) {
  return getJson<MetricSeries>("/api/v1/metrics/series", { ...query, step: String(query.step) });
}

export function batchInsights(query: DoraQuery, groupBy?: "service" | "team") {
  return getJson<BatchInsights>("/api/v1/insights/batch-size", { ...query, groupBy });
}

export function releaseWindow(query: DoraQuery, timeZone: string) {
  return getJson<ReleaseWindow>("/api/v1/insights/release-window", { ...query, timeZone });
}

export function promotionInsights(query: DoraQuery, limit = 100) {
  return getJson<PromotionInsights>("/api/v1/insights/promotion", { ...query, limit: String(limit) });
}

export function strategyInsights(query: DoraQuery) {
  return getJson<StrategyInsights>("/api/v1/insights/strategies", { ...query });
}
