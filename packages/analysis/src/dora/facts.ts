import { z } from "zod";
import { optimizeSharded, type Store } from "@drumbeat/store";
import { definitionOf, windowSecondsOf, type DoraSettings } from "./definitions.ts";
import { BUILD_COMMIT_FACTS, BUILD_DEPLOYMENT_FACTS, BUILD_PULL_REQUEST_FACTS, BUILD_QUALITY_FACTS, CHANGES_SINCE_BUILDS, MERGED_FACTS_TABLES, NOW, RECORD_BUILDS, SERVICES_OF_DEPLOYMENTS } from "./sql/facts.ts";

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
const ChangeRow = z.object({ kind: z.enum(["service", "deployment"]), name: z.string(), build: z.number(), stale: z.boolean() });

export interface FactsState {
  /** Services whose facts miss events stored since their last build, or that have none. */
  stale: string[];
  /** Every service with events, with its last recorded build (0 for none). */
  builds: Map<string, number>;
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
  return {
    stale: [...new Set([...stale, ...owners.map((o) => o.service)])].sort(),
    builds: new Map(services.map((c) => [c.name, c.build])),
  };
}

/** Rebuilds the facts of `services` from their whole history, then records the build; returns each service's new build. */
export async function buildFacts(store: Store, environment: string, settings: DoraSettings, services: string[]): Promise<Map<string, number>> {
  const definition = definitionOf(settings);
  const builds = new Map<string, number>();
  for (let i = 0; i < services.length; i += SERVICES_PER_BUILD) {
    const chunk = services.slice(i, i + SERVICES_PER_BUILD);
    // Taken before reading: an event dated after it makes the service stale again.
    const [clock] = await store.query({ name: "dora.facts.now", sql: NOW, rows: z.object({ now: z.string() }) });
    const params = {
      environment, definition, services: chunk, build: reserveBuilds(chunk.length), windowSeconds: windowSecondsOf(settings),
      detectRollbacks: settings.detectRollbacks, builtAt: clock!.now,
    };
    await store.command("dora.facts.buildDeployments", BUILD_DEPLOYMENT_FACTS, params);
    await store.command("dora.facts.buildCommits", BUILD_COMMIT_FACTS, params);
    await store.command("dora.facts.buildPullRequests", BUILD_PULL_REQUEST_FACTS, params);
    await store.command("dora.facts.buildQuality", BUILD_QUALITY_FACTS, params);
    await store.command("dora.facts.record", RECORD_BUILDS, params);
    chunk.forEach((service, index) => builds.set(service, params.build + index + 1));
  }
  return builds;
}

/** The build numbers of the services that have one (0 stands for none). */
const recorded = (builds: Map<string, number>) => [...builds.values()].filter((build) => build > 0);

const refreshing = new Map<string, Promise<number[]>>();
/** Per store and key: the builds a check found all current, and the store's own writes then. */
const current = new WeakMap<Store, Map<string, { ownWrites: number; builds: number[] }>>();

/**
 * Brings the facts of one environment up to date with every event stored so far and
 * returns the current build of every service, for the readers (FACTS_IN_SCOPE).
 * Concurrent callers in this process queue behind one another, so a caller always sees
 * the events written before its call. Cheap when nothing changed: one small query, or
 * none when this process is the only writer and has written nothing since a check
 * found every service current.
 */
export function refreshFacts(store: Store, environment: string, settings: DoraSettings, settleSeconds = SETTLE_SECONDS): Promise<number[]> {
  const key = `${store.database}|${environment}|${definitionOf(settings)}`;
  const checked = current.get(store) ?? new Map<string, { ownWrites: number; builds: number[] }>();
  current.set(store, checked);
  const previous = refreshing.get(key) ?? Promise.resolve([]);
  const run = previous.catch(() => undefined).then(async () => {
    const ownWrites = store.ownWrites;
    const known = checked.get(key);
    if (known && ownWrites !== undefined && known.ownWrites === ownWrites) return known.builds;
    const { stale, builds } = await factsState(store, environment, definitionOf(settings), settleSeconds);
    if (stale.length === 0) {
      const all = recorded(builds);
      if (ownWrites !== undefined) checked.set(key, { ownWrites, builds: all });
      return all;
    }
    const rebuilt = await buildFacts(store, environment, settings, stale);
    // Every service rebuilt (a first build, a new definition, a bulk import): the rows were
    // written in chunks, so merge them as if written at once. Smaller builds leave it to the engine.
    if (stale.length >= builds.size) {
      for (const table of MERGED_FACTS_TABLES) await optimizeSharded(store, "dora.facts.merge", table);
    }
    return recorded(new Map([...builds, ...rebuilt]));
  });
  refreshing.set(key, run);
  void run.finally(() => {
    if (refreshing.get(key) === run) refreshing.delete(key);
  }).catch(() => undefined);
  return run;
}
