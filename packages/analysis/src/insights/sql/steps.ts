/**
 * Per step of a deployment's `steps` array (environments reached, canary weights), a tuple
 * of `fields(s)` for step `s` at position `i`; `untilNext(s)` in them is the seconds from
 * that step's time to the next step's, or to the deployment's end (`at`) for the last.
 * arrayJoin rather than ARRAY JOIN, whose element names (environment, weight, at) would
 * shadow the table's columns in the WHERE clause.
 */
export function eachStep(steps: string, timeOf: (step: string) => string, fields: (untilNext: string) => string): string {
  const untilNext = `intDiv(toUnixTimestamp64Milli(if(i < length(${steps}), ${timeOf(`${steps}[i + 1]`)}, at)) - toUnixTimestamp64Milli(${timeOf("s")}), 1000)`;
  return `arrayJoin(arrayMap((s, i) -> (${fields(untilNext)}), ${steps}, arrayEnumerate(${steps})))`;
}
