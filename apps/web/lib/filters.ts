import { DeploymentStatus } from "@drumbeat/events";
import type { DeploymentStatusName } from "./types.ts";

/** Server-side only: @drumbeat/events brings zod and node:crypto, which stay out of the browser bundle. */
export const DEPLOYMENT_STATUSES = DeploymentStatus.options;

export interface DeploymentFilters {
  service?: string;
  team?: string;
  environment?: string;
  status?: DeploymentStatusName;
}

type SearchParams = Record<string, string | string[] | undefined>;

/** One URL parameter as the pages read it: the first value, unless empty or oversized. */
export function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.length <= 200 ? text : undefined;
}

function isStatus(value: string | undefined): value is DeploymentStatusName {
  return DeploymentStatus.safeParse(value).success;
}

/** Filters from the page URL (or a load-more request); anything unknown or oversized is dropped. */
export function filtersFrom(params: SearchParams): DeploymentFilters {
  const status = single(params.status);
  return {
    service: single(params.service),
    team: single(params.team),
    environment: single(params.environment),
    status: isStatus(status) ? status : undefined,
  };
}

export function hasFilters(filters: DeploymentFilters): boolean {
  return Object.values(filters).some((value) => value !== undefined);
}

/** The filters as a URL query string (unset ones left out). */
export function filtersQuery(filters: DeploymentFilters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  return query.toString();
}
