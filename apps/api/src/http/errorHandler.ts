import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { StoreError } from "@drumbeat/store";
import { HttpError } from "../errors.ts";

/** Body-parser's own errors, which carry a `type`, or at least a 4xx status (a body that does not inflate). */
function fromBodyParser(error: { type?: string; message?: string; status?: number; expose?: boolean }): HttpError | undefined {
  switch (error.type) {
    case "entity.too.large":
      return new HttpError(413, "payload_too_large", "the request body is larger than the server accepts");
    case "entity.parse.failed":
      return new HttpError(400, "malformed_json", `the body is not valid JSON: ${error.message}`);
    case "encoding.unsupported":
    case "charset.unsupported":
      return new HttpError(415, "unsupported_encoding", error.message ?? "unsupported encoding");
    default:
      if (error.expose && error.status && error.status >= 400 && error.status < 500) {
        return new HttpError(error.status, "malformed_body", `the body could not be read (is its Content-Encoding right?): ${error.message}`);
      }
      return undefined;
  }
}

/** The one place errors become HTTP answers: known errors keep their status, the rest are 500s. */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    let http: HttpError;
    if (error instanceof HttpError) http = error;
    else if (error instanceof StoreError && error.kind === "resource") {
      http = new HttpError(503, "store_limit", "the query reached the store's time or memory ceiling (DRUMBEAT_QUERY_TIMEOUT_SECONDS, DRUMBEAT_QUERY_MAX_MEMORY_BYTES): narrow the request, or retry later");
    } else if (error instanceof StoreError && error.kind === "unavailable") {
      http = new HttpError(503, "store_unavailable", "the store is busy or unreachable; retry later");
    } else http = fromBodyParser(error as object) ?? new HttpError(500, "internal", "internal error");

    const log = { err: error, method: req.method, path: req.path, status: http.status, errorClass: (error as Error)?.constructor?.name };
    if (http.expected) logger.debug(log, "request rejected");
    else logger.error(log, "request failed");
    res.status(http.status).json({ error: http.code, message: http.message, ...http.details });
  };
}
