"use server";

import { ApiError, listDeployments } from "../../lib/api.ts";
import { filtersFrom } from "../../lib/filters.ts";
import type { DeploymentPage } from "../../lib/types.ts";

export type MoreDeployments = { ok: true; page: DeploymentPage } | { ok: false; message: string };

/**
 * "Load more": the next page after `cursor`, fetched on the server so the browser never
 * needs the API's address or the dashboard's token. Errors are returned, not thrown,
 * because Next hides thrown messages from the browser in production.
 */
export async function loadMoreDeployments(params: Record<string, string | undefined>, cursor: string): Promise<MoreDeployments> {
  if (typeof cursor !== "string" || cursor.length === 0 || cursor.length > 500) return { ok: false, message: "invalid cursor" };
  try {
    return { ok: true, page: await listDeployments(filtersFrom(params ?? {}), cursor) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, message: error.message };
    throw error;
  }
}
