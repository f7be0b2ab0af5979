import { z } from "zod";
import { TIME_RANGE } from "@drumbeat/events";

/** A bound of a read's range: the times events can carry (TIME_RANGE), both ends included. */
const ReadTime = z.iso
  .datetime({ offset: true, abort: true })
  .refine((value) => Date.parse(value) >= Date.parse(TIME_RANGE.from) && Date.parse(value) <= Date.parse(TIME_RANGE.to), `must be from ${TIME_RANGE.from} to ${TIME_RANGE.to}`);

/**
 * The filters every listing and metric shares. Each query's SQL is fixed text: an unset
 * filter is bound as '' and the clause `({service:String} = '' OR service = {service:String})`
 * folds to true, so no SQL is ever assembled from the caller's input.
 */
export const ScopeFilter = z.object({
  service: z.string().max(200).optional(),
  environment: z.string().max(200).optional(),
  team: z.string().max(200).optional(),
  from: ReadTime.optional(),
  to: ReadTime.optional(),
});
export type ScopeFilter = z.infer<typeof ScopeFilter>;

export const SCOPE_WHERE = `({service:String} = '' OR service = {service:String})
  AND ({environment:String} = '' OR environment = {environment:String})
  AND ({team:String} = '' OR team = {team:String})`;

const EPOCH = "1970-01-01T00:00:00.000Z";
const FAR_FUTURE = "2299-12-31T00:00:00.000Z";

/** A value for a `{name:DateTime64(3, 'UTC')}` parameter: the zone is in the type, so the text carries none. */
export function dateTimeParam(value: string | Date): string {
  return new Date(value).toISOString().replace("T", " ").replace("Z", "");
}

export function scopeParams(filter: ScopeFilter) {
  return {
    service: filter.service ?? "",
    environment: filter.environment ?? "",
    team: filter.team ?? "",
    from: dateTimeParam(filter.from ?? EPOCH),
    to: dateTimeParam(filter.to ?? FAR_FUTURE),
  };
}

/** Opaque keyset cursor: the sort key of the last row of a page. */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString("base64url");
}

export function decodeCursor(cursor: string): { at: string; id: string } | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof at === "string" && typeof id === "string" && !Number.isNaN(Date.parse(at))) return { at, id };
  } catch {
    // fall through: an unreadable cursor is the caller's error
  }
  return undefined;
}
