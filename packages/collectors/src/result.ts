import { parseEventBatch, toWellFormed, type DrumbeatEvent, type EventInput } from "@drumbeat/events";
import type { ZodType } from "zod";

/** One problem with a payload, named by its path inside the payload (or inside the mapped event). */
export interface PayloadIssue {
  path: string;
  message: string;
}

/** What a mapping makes of one delivery. */
export type MappingResult =
  | { kind: "events"; events: DrumbeatEvent[] }
  | { kind: "ignored"; reason: string }
  | { kind: "malformed"; issues: PayloadIssue[] };

/** The reason quotes payload values: well-formed (see WellFormedString), as it is journaled and answered. */
export function ignored(reason: string): MappingResult {
  return { kind: "ignored", reason: toWellFormed(reason) };
}

/**
 * A payload field the mapping needs is missing or of the wrong shape. Thrown inside a
 * mapping and turned into a `malformed` result by `collect` (mappings read like the
 * happy path; the issue still names the field).
 */
export class MalformedPayload extends Error {
  constructor(readonly issues: PayloadIssue[]) {
    super(issues.map((issue) => `${issue.path || "(payload)"}: ${issue.message}`).join("; "));
  }
}

/** Reads the parts of a payload a mapping uses (found at path `at`); unknown fields pass through untouched. */
export function readPayload<T>(schema: ZodType<T>, payload: unknown, at = ""): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  throw new MalformedPayload(result.error.issues.map((issue) => ({
    path: [...(at ? [at] : []), ...issue.path.map(String)].join("."),
    message: issue.message,
  })));
}

/** Validates mapped events against the canonical schemas (a bad value in the payload, e.g. a URL, surfaces here). */
export function mapped(inputs: EventInput[]): MappingResult {
  const batch = parseEventBatch(inputs);
  if (batch.ok) return { kind: "events", events: batch.events };
  return { kind: "malformed", issues: batch.issues.map((issue) => ({ path: `events.${issue.index}${issue.path ? `.${issue.path}` : ""}`, message: issue.message })) };
}

/** Runs a mapping, turning a MalformedPayload into a result. */
export function collect(map: () => MappingResult): MappingResult {
  try {
    return map();
  } catch (error) {
    if (error instanceof MalformedPayload) return { kind: "malformed", issues: error.issues };
    throw error;
  }
}
