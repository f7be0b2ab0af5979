import type { ResolvedOptions } from "./options.ts";

/** A failed attempt worth repeating (the network, or a 5xx / 429) or not (any other answer). */
class PostError extends Error {
  constructor(message: string, readonly retry: boolean) {
    super(message);
  }
}

async function send(options: ResolvedOptions, path: string, init: RequestInit, signal: AbortSignal): Promise<unknown> {
  const headers = new Headers(init.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let response: Response;
  try {
    response = await fetch(options.url + path, { ...init, headers, signal });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new PostError(`cannot reach ${options.url} (${cause})`, true);
  }
  const text = await response.text();
  if (!response.ok) throw new PostError(`${path} answered ${response.status}: ${text.slice(0, 300)}`, response.status >= 500 || response.status === 429);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Calls the API within the time budget, repeating what can succeed on a second try.
 * Repeating a POST is safe: every event carries its id, so the API counts it once.
 */
export async function callWithRetries(options: ResolvedOptions, path: string, init: RequestInit): Promise<unknown> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(options, path, init, signal);
    } catch (error) {
      if (signal.aborted) throw new Error(`no answer from ${options.url} within ${options.timeoutMs} ms`);
      if (!(error instanceof PostError) || !error.retry || attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
