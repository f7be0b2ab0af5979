/** Small readers for the loose values third-party payloads carry. */

/** A string worth keeping: not null, not empty. */
export function present(value: string | null | undefined): string | undefined {
  return typeof value === "string" && value.trim().length > 0 ? value : undefined;
}

/** The first of several candidates that is present. */
export function firstPresent(...values: (string | null | undefined)[]): string | undefined {
  for (const value of values) if (present(value)) return value!;
  return undefined;
}

/** Optional event fields without the undefined ones (the canonical schemas are strict about unknown keys, not undefined ones, but stored JSON stays tidy). */
export function defined<T extends object>(fields: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as never;
}

/** Labels from optional values: only the present ones, as strings. */
export function labels(values: Record<string, string | number | null | undefined>): Record<string, string> | undefined {
  const entries = Object.entries(values).filter(([, value]) => value !== null && value !== undefined && value !== "");
  return entries.length > 0 ? Object.fromEntries(entries.map(([key, value]) => [key, String(value)])) : undefined;
}

/** Epoch milliseconds as RFC 3339. */
export function fromEpochMs(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * `table[key]` for the table's own keys only: a key from a payload or a header may be
 * `constructor` or `__proto__`, which every object answers to.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
