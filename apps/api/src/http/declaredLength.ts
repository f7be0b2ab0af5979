import type { NextFunction, Request, Response } from "express";
import { HttpError } from "../errors.ts";

/**
 * Answers 413 from a declared Content-Length above the limit, before reading any of the
 * body (a body parser would first read it all off, waiting for bytes that may never
 * come); the connection is closed, since the rest of the body is not wanted.
 */
export function declaredLengthLimit(maxBodyBytes: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.get("content-length") ?? 0);
    if (declared <= maxBodyBytes) return next();
    res.set("connection", "close");
    next(new HttpError(413, "payload_too_large", `the body declares ${declared} bytes; the limit is ${maxBodyBytes} (DRUMBEAT_MAX_BODY_BYTES)`));
  };
}
