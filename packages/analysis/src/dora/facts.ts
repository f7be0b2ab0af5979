import { z } from "zod";
import type { Store } from "@drumbeat/store";
import { definitionOf, windowSecondsOf, type DoraSettings } from "./definitions.ts";
import { BUILD_COMMIT_FACTS, BUILD_DEPLOYMENT_FACTS, CHANGES_SINCE_BUILDS, MERGE_FACTS, NOW, RECORD_BUILDS, SERVICES_OF_DEPLOYMENTS } from "./sql/facts.ts";

/** How long after an insert began its rows may still be invisible to a build (see CHANGES_SINCE_BUILDS). */
const SETTLE_SECONDS = 10;
/** Services per build statement: enough to amortise a statement, few enough to bound its memory. */
const SERVICES_PER_BUILD = 50;

let lastBuild = 0;
/**
 * The base of `count` build numbers, base + 1 ... base + count, one per service (see
 * sql/facts.ts): increasing across calls and, being time-based, across processes.
 */
function reserveBuilds(count: number): number {
  const base = Math.max(lastBuild, Date.now() * 1_000);
  lastBuild = base + count;
  return base;
}

const ServiceRow = z.object({ service: z.string() });
const ChangeRow = z.object({ kind: z.enum(["service", "deployment"]), name: z.string(), stale: z.boolean() });

export interface FactsState {
  /** Services whose facts miss events stored since their last build, or that have none. */
  stale: string[];
  /** How many services have events, stale or not. */
  services: number;
}

/** Which services' facts are out of date. */
export async function factsState(store: Store, environment: string, definition: string, settleSeconds = SETTLE_SECONDS): Promise<FactsState> {
  const changes = await store.query({
    name: "dora.facts.changes", sql: CHANGES_SINCE_BUILDS, params: { environment, definition, settleSeconds }, rows: ChangeRow,
  });
  const named = changes.filter((c) => c.kind === "deployment").map((c) => c.name);
  const owners = named.length === 0 ? [] : await store.query({
    name: "dora.facts.owners", sql: SERVICES_OF_DEPLOYMENTS, params: { environment, deploymentIds: named }, rows: ServiceRow,
  });
  const services = changes.filter((c) => c.kind === "service");
  const stale = services.filter((c) => c.stale).map((c) => c.name);
  return { stale: [...new Set([...stale, ...owners.map((o) => o.service)])].sort(), services: services.length };
}

/** Rebuilds the facts of `services` from their whole history, then records the build. */
export async function buildFacts(store: Store, environment: string, settings: DoraSettings, services: string[]): Promise<void> {
  const definition = definitionOf(settings);
  for (let i = 0; i < services.length; i += SERVICES_PER_BUILD) {
    const chunk = services.slice(i, i + SERVICES_PER_BUILD);
    // Taken before reading: an event dated after it makes the service stale again.
    const [clock] = await store.query({ name: "dora.facts.now", sql: NOW, rows: z.object({ now: z.string() }) });
    const params = { environment, definition, services: chunk, build: reserveBuilds(chunk.length), windowSeconds: windowSecondsOf(settings) };
    await store.command("dora.facts.buildDeployments", BUILD_DEPLOYMENT_FACTS, params);
    await store.command("dora.facts.buildCommits", BUILD_COMMIT_FACTS, params);
    await store.command("dora.facts.record", RECORD_BUILDS, { ...params, builtAt: clock!.now });
  }
}

const refreshing = new Map<string, Promise<void>>();

/**
 * Brings the facts of one environment up to date with every event stored so far, then
 * returns; concurrent callers in this process queue behind one another, so a caller
 * always sees the events written before its call. Cheap when nothing changed.
 */
export function refreshFacts(store: Store, environment: string, settings: DoraSettings): Promise<void> {
  const key = `${store.database}|${environment}|${definitionOf(settings)}`;
  const previous = refreshing.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    const { stale, services } = await factsState(store, environment, definitionOf(settings));
    await buildFacts(store, environment, settings, stale);
    // Every service rebuilt (a first build, a new definition, a bulk import): the rows were
    // written in chunks, so merge them as if written at once. Smaller builds leave it to the engine.
    if (stale.length > 0 && stale.length >= services) {
      for (const statement of MERGE_FACTS) await store.command("dora.facts.merge", statement);
    }
  });
  refreshing.set(key, run);
  void run.finally(() => {
    if (refreshing.get(key) === run) refreshing.delete(key);
  }).catch(() => undefined);
  return run;
}
