import { HttpError, ValidationError } from "../errors.ts";

const JSON_TYPES = new Set(["application/json"]);
const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"]);

/**
 * Turns an ingest body into a list of items: one JSON event, a JSON array of events,
 * or NDJSON (one event per line). Which it is follows the Content-Type.
 */
export function decodeEventBody(contentType: string | undefined, body: Buffer): unknown[] {
  const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const text = body.toString("utf8");
  if (JSON_TYPES.has(mediaType)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new HttpError(400, "malformed_json", `the body is not valid JSON: ${(error as Error).message}`);
    }
    return Array.isArray(value) ? value : [value];
  }
  if (NDJSON_TYPES.has(mediaType)) {
    const items: unknown[] = [];
    const issues: { index: number; path: string; message: string }[] = [];
    text.split("\n").forEach((line, lineNumber) => {
      if (line.trim() === "") return;
      try {
        items.push(JSON.parse(line));
      } catch (error) {
        issues.push({ index: items.length + issues.length, path: "", message: `line ${lineNumber + 1} is not valid JSON: ${(error as Error).message}` });
      }
    });
    if (issues.length > 0) throw new ValidationError("malformed_json", issues);
    return items;
  }
  throw new HttpError(415, "unsupported_media_type", `send application/json or application/x-ndjson, not '${mediaType || "(none)"}'`);
}
