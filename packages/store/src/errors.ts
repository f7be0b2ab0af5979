/**
 * A ClickHouse failure, classified so the API can answer it properly: resource limits
 * (memory, time, too many parts) are the caller's to retry later (503); anything else is
 * our bug or an outage (500).
 */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    message: string,
    readonly kind: "resource" | "unavailable" | "query",
    readonly clickhouseCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// ClickHouse error codes: MEMORY_LIMIT_EXCEEDED, TIMEOUT_EXCEEDED, TOO_MANY_SIMULTANEOUS_QUERIES,
// TOO_MANY_PARTS, QUERY_WAS_CANCELLED, SOCKET_TIMEOUT.
const RESOURCE_CODES = new Set([241, 159, 202, 252, 394, 209]);

export function toStoreError(error: unknown, context: string): StoreError {
  if (error instanceof StoreError) return error;
  const raw = error as { message?: string; code?: string | number; clickhouseCode?: number; type?: string };
  const message = raw?.message ?? String(error);
  const code =
    typeof raw?.clickhouseCode === "number"
      ? raw.clickhouseCode
      : /^\d+$/.test(String(raw?.code ?? ""))
        ? Number(raw.code)
        : Number(/Code: (\d+)/.exec(message)?.[1]) || undefined;
  const networkDown = /ECONNREFUSED|ENOTFOUND|ECONNRESET|socket hang up/i.test(message);
  const kind = networkDown ? "unavailable" : code !== undefined && RESOURCE_CODES.has(code) ? "resource" : "query";
  return new StoreError(`${context}: ${message.split("\n")[0]}`, kind, code, { cause: error });
}
