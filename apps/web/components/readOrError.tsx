import type { ReactElement, ReactNode } from "react";
import { ApiError } from "../lib/api.ts";
import { ErrorState } from "./States.tsx";

/** What a page read from the API, or what it shows instead when the API could not answer. */
export type Read<T> = { data: T; failed?: undefined } | { data?: undefined; failed: ReactElement };

/**
 * Awaits a page's reads. An ApiError (the API down, or refusing) becomes the error state
 * with a retry link, after `before` (the page's header); anything else is a bug and throws.
 */
export async function readOrError<T>(pending: Promise<T>, retryHref: string, before?: ReactNode): Promise<Read<T>> {
  try {
    return { data: await pending };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { failed: <>{before}<ErrorState error={error} retryHref={retryHref} /></> };
  }
}
