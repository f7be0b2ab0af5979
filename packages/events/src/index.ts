export * from "./schemas.ts";
export { deriveEventId } from "./id.ts";
export { parseEventBatch, type EventIssue, type BatchResult } from "./batch.ts";
