import fc from "fast-check";

/**
 * Values a hostile or careless sender puts where a string, number or date belongs: lone
 * UTF-16 surrogates, JavaScript built-in names, dates the engine cannot hold, integers
 * wider than the columns, injection-looking text.
 */
const NASTY_STRINGS = [
  "", " ", "\ud800", "a\udfffb", "\udc00\ud800", "\u0000", "toString", "constructor", "__proto__", "hasOwnProperty", "valueOf",
  "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "2299-12-31T23:59:59Z", "2300-01-01T00:00:00Z",
  "'; DROP TABLE events; --", "{name:String}", "\\N", "x".repeat(300),
];
const NASTY_NUMBERS = [0, -1, 1.5, 100.0001, 4_294_967_295, 4_294_967_296, 4_294_967_297, 2 ** 53, -(2 ** 31), 1e308, -1e-308];

export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
export const nastyNumber = fc.oneof(fc.constantFrom(...NASTY_NUMBERS), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
/** Any JSON value, nasty leaves first. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Mostly plain names, sometimes nasty: enough valid batches get through to exercise the write and the reads. */
const name = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/) }, { weight: 1, arbitrary: nastyString });
const text = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 1, arbitrary: nastyString });
const isoDate = fc.oneof(
  { weight: 5, arbitrary: fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: nastyString },
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
const percent = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 100 }) }, { weight: 1, arbitrary: nastyNumber });

const common = { occurredAt: isoDate, service: name, environment: name, team: maybe(name), source: maybe(name), labels: maybe(fc.dictionary(text, text, { maxKeys: 3 })) };
const commit = fc.record({ sha: fc.oneof(fc.stringMatching(/^[0-9a-f]{7,40}$/), nastyString), authoredAt: isoDate, committedAt: maybe(isoDate), author: maybe(text), message: maybe(text) }, { requiredKeys: ["sha", "authoredAt"] });

/** One canonical event of each type, mostly well-formed, with nasty values mixed in. */
export const eventLike: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ type: fc.constant("deployment"), ...common, deploymentId: name, version: name, status: fc.constantFrom("started", "succeeded", "failed", "rolled_back"), strategy: maybe(fc.constantFrom("rolling", "canary")), canaryWeight: maybe(percent), kind: maybe(fc.constantFrom("normal", "rollback", "hotfix")), commits: maybe(fc.array(commit, { maxLength: 3 })), actor: maybe(text) }),
  fc.record({ type: fc.constant("incident"), ...common, incidentId: name, status: fc.constantFrom("opened", "acknowledged", "resolved"), severity: maybe(text), title: maybe(text), causedBy: maybe(name) }),
  fc.record({ type: fc.constant("usecase"), ...common, deploymentId: name, usecase: name, status: fc.constantFrom("pass", "fail", "skip"), durationMs: maybe(fc.oneof(fc.nat(600_000), nastyNumber)), error: maybe(text) }),
  fc.record({ type: fc.constant("flag"), ...common, flag: name, action: fc.constantFrom("enabled", "disabled", "rollout"), percentage: maybe(percent), actor: maybe(text) }),
  fc.record({ type: fc.constant("commit"), ...common, sha: fc.stringMatching(/^[0-9a-f]{7,40}$/), authoredAt: isoDate, message: maybe(text) }),
).map((event) => Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)));

/** Every leaf of a JSON value, as a path of keys and indexes. */
export function leafPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.length === 0 ? [at] : value.flatMap((item, i) => leafPaths(item, [...at, i]));
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? [at] : entries.flatMap(([key, item]) => leafPaths(item, [...at, key]));
  }
  return [at];
}

/** A deep copy of `value` with the leaf at `path` replaced (or removed, for `undefined`). */
export function withLeaf(value: unknown, path: readonly (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...rest] = path;
  if (rest.length === 0 && leaf === undefined) delete copy[head!];
  else copy[head!] = withLeaf(copy[head!], rest, leaf);
  return copy;
}

/**
 * A real payload with a few leaves replaced by nasty values (or dropped); `focus` are the
 * fields the mapping branches on (an event type, a status), chosen more often than the rest.
 */
export function mutatedPayload(payload: unknown, focus: readonly (string | number)[][] = []): fc.Arbitrary<unknown> {
  const paths = leafPaths(payload);
  const path = focus.length > 0 ? fc.oneof(fc.constantFrom(...focus), fc.constantFrom(...paths)) : fc.constantFrom(...paths);
  const change = fc.tuple(path, fc.option(nastyValue, { nil: undefined, freq: 8 }));
  return fc.array(change, { minLength: 0, maxLength: 3 }).map((changes) => changes.reduce((body, [at, leaf]) => withLeaf(body, at, leaf), payload));
}
