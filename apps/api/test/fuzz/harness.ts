import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fc from "fast-check";
import { z } from "zod";
import { hmacSha256Hex } from "@drumbeat/collectors";
import { parseEventBatch } from "@drumbeat/events";
import type { Store } from "@drumbeat/store";
import { eventLike, mutatedPayload, nastyString } from "./arbitraries.ts";

/** One request the fuzz sends; `sent` is what a 2xx must make readable (for canonical events). */
export interface FuzzRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  sent?: unknown[];
}

/** A route under fuzz: its name in reports and a generator of requests to it. */
export interface FuzzTarget {
  name: string;
  requests: fc.Arbitrary<FuzzRequest>;
}

/** The webhook secrets the fuzzed API is configured with. */
export const FUZZ_SECRETS = {
  github: "gh-secret", gitlab: "gl-token", argocd: "argo-token", pagerduty: "pd-secret", opsgenie: "og-token",
  sentry: "sentry-secret", flags: "flags-token", unleash: "unleash-token", launchdarkly: "ld-secret",
};

const hmac = (secret: string, body: Buffer) => hmacSha256Hex(secret, body);

/**
 * How the body travels: mostly as is, sometimes gzip (real, or a lie), sometimes with a
 * Content-Length the body does not have. Applied after signing, as a proxy would.
 */
const envelope = fc.constantFrom("plain", "plain", "plain", "plain", "plain", "plain", "gzip", "fake-gzip", "fake-deflate");
function wrap(request: FuzzRequest, how: string): FuzzRequest {
  if (how === "gzip") return { ...request, headers: { ...request.headers, "content-encoding": "gzip" }, body: gzipSync(request.body) };
  if (how === "fake-gzip") return { ...request, headers: { ...request.headers, "content-encoding": "gzip" } };
  if (how === "fake-deflate") return { ...request, headers: { ...request.headers, "content-encoding": "deflate" } };
  return request;
}

const NDJSON = "application/x-ndjson";
/** POST /api/v1/events: one event, an array or NDJSON, mostly well-formed, with nasty values and stray bytes. */
export const eventsTarget: FuzzTarget = {
  name: "events",
  requests: fc.oneof(
    { weight: 9, arbitrary: fc.tuple(fc.array(eventLike, { minLength: 1, maxLength: 4 }), fc.constantFrom("one", "array", "ndjson"), fc.boolean(), envelope)
      .chain(([items, format, mutate, how]) => (mutate ? mutatedPayload(items) : fc.constant(items)).map((batch) => {
        const list = Array.isArray(batch) ? batch : [batch];
        const body = format === "ndjson" ? list.map((item) => JSON.stringify(item)).join("\n") : JSON.stringify(format === "one" ? list[0] : list);
        const sent = format === "one" ? list.slice(0, 1) : list;
        return wrap({ path: "/api/v1/events", headers: { "content-type": format === "ndjson" ? NDJSON : "application/json" }, body: Buffer.from(body), sent }, how);
      })) },
    { weight: 1, arbitrary: fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.constantFrom("application/json", NDJSON, "text/plain", "")).map(([bytes, type]): FuzzRequest => ({ path: "/api/v1/events", headers: type ? { "content-type": type } : {}, body: Buffer.from(bytes) })) },
  ),
};

const require = createRequire(import.meta.url);
const githubExamples: { name: string; examples: any[] }[] = require("@octokit/webhooks-examples/api.github.com/index.json");
const githubExample = (name: string) => githubExamples.find((e) => e.name === name)!.examples[0];
const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../../../packages/collectors/test/fixtures/${path}`, import.meta.url), "utf8"));

interface WebhookSeed {
  /** The delivery's kind in its header, for tools that name it there. */
  kind?: string;
  payload: unknown;
}
interface WebhookSource {
  source: keyof typeof FUZZ_SECRETS;
  /** Header naming the delivery's kind (GitHub, GitLab, Sentry). */
  kindHeader?: string;
  seeds: WebhookSeed[];
  /** Paths the mapping branches on, mutated more often. */
  focus?: (string | number)[][];
  sign(secret: string, body: Buffer): Record<string, string>;
}

const WEBHOOK_SOURCES: WebhookSource[] = [
  { source: "github", kindHeader: "x-github-event", seeds: ["push", "deployment", "deployment_status", "pull_request", "workflow_run"].map((kind) => ({ kind, payload: githubExample(kind) })),
    focus: [["deployment_status", "state"], ["deployment", "environment"], ["repository", "full_name"]], sign: (s, b) => ({ "x-hub-signature-256": `sha256=${hmac(s, b)}` }) },
  { source: "gitlab", kindHeader: "x-gitlab-event", seeds: [{ kind: "Deployment Hook", payload: fixture("gitlab/deployment.success.json") }, { kind: "Push Hook", payload: fixture("gitlab/push.json") }, { kind: "Pipeline Hook", payload: fixture("gitlab/pipeline.success.json") }],
    focus: [["status"], ["environment"], ["object_kind"]], sign: (s) => ({ "x-gitlab-token": s }) },
  { source: "argocd", seeds: [{ payload: { app: fixture("argocd/application.real-status.json") } }, { payload: fixture("argocd/rollout.canary-step.drumbeat.json") }], sign: (s) => ({ "x-drumbeat-token": s }) },
  { source: "pagerduty", seeds: [{ payload: fixture("pagerduty/incident.triggered.zulip.json") }, { payload: fixture("pagerduty/incident.resolved.zulip.json") }],
    focus: [["event", "event_type"], ["event", "data", "title"], ["event", "occurred_at"], ["event", "data", "service", "summary"]], sign: (s, b) => ({ "x-pagerduty-signature": `v1=${hmac(s, b)}` }) },
  { source: "opsgenie", seeds: ["create", "acknowledge", "close"].map((kind) => ({ payload: fixture(`opsgenie/alert.${kind}.json`) })), focus: [["action"]], sign: (s) => ({ "x-drumbeat-token": s }) },
  { source: "sentry", kindHeader: "sentry-hook-resource", seeds: [{ kind: "issue", payload: fixture("sentry/issue.created.json") }, { kind: "issue", payload: fixture("sentry/issue.resolved.json") }, { kind: "metric_alert", payload: fixture("sentry/metric_alert.critical.drumbeat.json") }, { kind: "event_alert", payload: fixture("sentry/event_alert.triggered.sentry-docs.json") }],
    focus: [["action"]], sign: (s, b) => ({ "sentry-hook-signature": hmac(s, b) }) },
  { source: "flags", seeds: [{ payload: { flag: "new-checkout", action: "disabled", service: "checkout", environment: "production", actor: "ana", occurredAt: "2026-03-01T10:00:00Z" } }], sign: (s) => ({ "x-drumbeat-token": s }) },
  { source: "unleash", seeds: [{ payload: fixture("flags/unleash.feature-environment-disabled.drumbeat.json") }], sign: (s) => ({ authorization: s }) },
  { source: "launchdarkly", seeds: [{ payload: fixture("flags/launchdarkly.flag-turned-off.drumbeat.json") }], sign: (s, b) => ({ "x-ld-signature": hmac(s, b) }) },
];

/** The delivery kind header: the seed's, sometimes another seed's, sometimes nasty (a built-in name...). */
function kindArbitrary(source: WebhookSource, seed: WebhookSeed): fc.Arbitrary<string | undefined> {
  if (!source.kindHeader) return fc.constant(undefined);
  const kinds = source.seeds.map((s) => s.kind!);
  return fc.oneof({ weight: 6, arbitrary: fc.constant(seed.kind) }, { weight: 1, arbitrary: fc.constantFrom(...kinds) }, { weight: 2, arbitrary: nastyString });
}

/** A properly signed delivery of a mutated real payload, so the fuzz reaches the mapping and the store. */
function webhookTarget(source: WebhookSource): FuzzTarget {
  const requests = fc.constantFrom(...source.seeds).chain((seed) =>
    fc.tuple(mutatedPayload(seed.payload, source.focus), kindArbitrary(source, seed), fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 12 }), envelope).map(([payload, kind, delivery, how]) => {
      const body = Buffer.from(JSON.stringify(payload) ?? "null");
      const headers: Record<string, string> = { "content-type": "application/json", "x-github-delivery": `fuzz-${delivery}`, "x-webhook-id": `fuzz-${delivery}`, ...source.sign(FUZZ_SECRETS[source.source], body) };
      // A header value is bytes without control characters: a nasty kind travels as its UTF-8 bytes, as on the wire.
      if (source.kindHeader && kind !== undefined) headers[source.kindHeader] = Buffer.from(kind.replace(/[\x00-\x1f\x7f]/g, ""), "utf8").toString("latin1");
      return wrap({ path: `/webhooks/${source.source}`, headers, body }, how);
    }));
  return { name: `webhook ${source.source}`, requests };
}

/** Every route under fuzz. A new ingest route adds its target here, in one line. */
export const FUZZ_TARGETS: FuzzTarget[] = [eventsTarget, ...WEBHOOK_SOURCES.map(webhookTarget)];

export interface FuzzOutcome {
  status: number;
  /** What broke a rule: a 5xx, a 4xx that wrote, a 2xx whose events cannot be read back. Empty when all held. */
  problems: string[];
}

export interface FuzzApi {
  url: string;
  store: Store;
  /** A token with every scope (the API runs with auth on). */
  token: string;
}

const Counts = z.object({ events: z.number(), journal: z.number() });
/** Distinct keys, not rows: a background merge collapsing a redelivery must not look like a write. */
async function rowCounts(store: Store) {
  const [row] = await store.query({ name: "fuzz.counts", sql: "SELECT (SELECT uniqExact(id) FROM events) AS events, (SELECT uniqExact(source, delivery_id) FROM webhook_journal) AS journal", rows: Counts });
  return row!;
}

async function get(api: FuzzApi, path: string) {
  const response = await fetch(api.url + path, { headers: { authorization: `Bearer ${api.token}` } });
  const text = await response.text();
  let body: any;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: response.status, body };
}

const TYPED_ROWS: Record<string, string> = {
  deployment: "SELECT count() AS n FROM deployment_events WHERE event_id = {id:String} AND service = {service:String} AND occurred_at = {at:DateTime64(3, 'UTC')}",
  incident: "SELECT count() AS n FROM incident_events WHERE event_id = {id:String} AND service = {service:String} AND occurred_at = {at:DateTime64(3, 'UTC')}",
  usecase: "SELECT count() AS n FROM usecase_results WHERE event_id = {id:String} AND service = {service:String} AND occurred_at = {at:DateTime64(3, 'UTC')}",
  flag: "SELECT count() AS n FROM flag_events WHERE event_id = {id:String} AND service = {service:String} AND occurred_at = {at:DateTime64(3, 'UTC')}",
  commit: "SELECT count() AS n FROM commits WHERE service = {service:String} AND sha = {sha:String}",
  pull_request: "SELECT count() AS n FROM pull_request_events WHERE event_id = {id:String} AND service = {service:String} AND occurred_at = {at:DateTime64(3, 'UTC')}",
};

/** A path or query value: a lone surrogate (stored before they were made well-formed) is sent as U+FFFD, as UTF-8 can carry it. */
const q = (value: string) => encodeURIComponent(Buffer.from(value, "utf8").toString("utf8"));

/** An accepted event must be in the journal as sent, in its typed table with the same service and time, and readable through the API. */
async function readBack(api: FuzzApi, id: string, expected: Record<string, unknown> | undefined): Promise<string[]> {
  const rows = await api.store.query({ name: "fuzz.event", sql: "SELECT payload FROM events FINAL WHERE id = {id:String}", params: { id }, rows: z.object({ payload: z.string() }) });
  if (rows.length !== 1) return [`event ${id} is not stored`];
  const stored = JSON.parse(rows[0]!.payload) as Record<string, any>;
  const problems: string[] = [];
  if (expected && JSON.stringify(stored) !== JSON.stringify(expected)) problems.push(`event ${id} is stored differently from what was accepted`);
  const at = String(stored.occurredAt).replace("T", " ").replace("Z", "");
  const [typed] = await api.store.query({ name: "fuzz.typed", sql: TYPED_ROWS[stored.type]!, params: { id, service: stored.service, at, sha: stored.sha ?? "" }, rows: z.object({ n: z.number() }) });
  if (!typed || typed.n === 0) problems.push(`${stored.type} ${id} is missing from its typed table, or stored with another service or time`);
  const reads = stored.type === "deployment"
    ? [`/api/v1/deployments/${q(stored.deploymentId)}`]
    : stored.type === "incident" ? [`/api/v1/incidents?service=${q(stored.service)}&environment=${q(stored.environment)}`] : [];
  for (const path of [...reads, "/api/v1/services"]) {
    const read = await get(api, path);
    if (read.status !== 200) problems.push(`GET ${path.split("?")[0]} answered ${read.status} after ${id} was accepted`);
    // A deployment is keyed by id, service and environment: its detail lists the events of its current service and environment.
    else if (stored.type === "deployment" && path.startsWith("/api/v1/deployments/") && read.body.service === stored.service && read.body.environment === stored.environment) {
      const lifecycle = read.body.events.find((event: any) => event.eventId === id);
      if (!lifecycle || lifecycle.actor !== (stored.actor ?? "") || lifecycle.version !== stored.version) problems.push(`deployment ${id} reads back with other fields`);
    }
  }
  return problems;
}

/** Sends one request and checks the three rules: 2xx or 4xx; a 4xx writes nothing; a 2xx's events read back. */
export async function exercise(api: FuzzApi, request: FuzzRequest): Promise<FuzzOutcome> {
  const before = await rowCounts(api.store);
  let response: Response;
  try {
    response = await fetch(api.url + request.path, { method: "POST", headers: { authorization: `Bearer ${api.token}`, ...request.headers }, body: new Uint8Array(request.body), signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    return { status: 0, problems: [`no answer: ${(error as Error).message}`] };
  }
  const text = await response.text();
  const status = response.status;
  if (status >= 500) return { status, problems: [`${status}: ${text.slice(0, 200)}`] };
  if (status >= 400) {
    const after = await rowCounts(api.store);
    return { status, problems: after.events !== before.events || after.journal !== before.journal ? [`${status} but rows were written`] : [] };
  }
  if (status < 200 || status >= 300) return { status, problems: [`unexpected status ${status}`] };
  const body = JSON.parse(text) as { ids?: string[] };
  const expected = new Map<string, Record<string, unknown>>();
  if (request.sent) {
    const batch = parseEventBatch(request.sent);
    if (!batch.ok) return { status, problems: ["a batch the schemas reject was accepted"] };
    for (const event of batch.events) if (!expected.has(event.id)) expected.set(event.id, event);
  }
  const problems: string[] = [];
  for (const id of body.ids ?? []) {
    try {
      problems.push(...(await readBack(api, id, expected.get(id))));
    } catch (error) {
      problems.push(`reading ${id} back failed: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  return { status, problems };
}
