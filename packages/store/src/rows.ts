import type { ZodType } from "zod";

/** Parses JSONEachRow text and validates each row. */
export function parseRows<T>(text: string, schema: ZodType<T>): T[] {
  const rows: T[] = [];
  for (const line of text.split("\n")) {
    if (line.length > 0) rows.push(schema.parse(JSON.parse(line)));
  }
  return rows;
}

export function toJsonEachRow(rows: readonly object[]): string {
  return rows.map((row) => JSON.stringify(row)).join("\n") + "\n";
}
