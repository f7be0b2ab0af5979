import { z } from "zod";
import { optimizeSharded, type Store } from "@drumbeat/store";
import { usecaseBreakParams } from "../usecases/changeFailures.ts";
import { definitionOf, windowSecondsOf, type DoraSettings } from "./definitions.ts";
import {
  BUILD_COMMIT_FACTS, BUILD_DEPLOYMENT_FACTS, BUILD_PULL_REQUEST_FACTS, BUILD_QUALITY_FACTS, CHANGES_SINCE_BUILDS, LAST_BUILDS,
  MERGED_FACTS_TABLES, NOTE_SERVICE_CHANGED, RECORD_BUILDS, RECORD_CAUSES_CHECKED, RESERVE_BUILDS, SERVICES_OF_DEPLOYMENTS, deleteReplacedBuilds,
} from "./sql/facts.ts";

/** How long after an insert began its rows may still be invisible to a build (see CHANGES_SINCE_BUILDS). */
const SETTLE_SECONDS = 10;
/** Services per build statement: enough to amortise a statement, few enough to bound its memory. */
const SERVICES_PER_BUILD = 50;
/** Reads of one request before giving up when builds keep replacing the ones it read. */
const READ_ATTEMPTS = 3;

/** A store time, `YYYY-MM-DD hh:mm:ss.sss` in UTC, as ISO 8601. */
const isoOf = (storeTime: string) => new Date(`${storeTime.replace(" ", "T")}Z`).toISOString();

const ServiceRow = z.object({ service: z.string() });
const ChangeRow = z.object({
  kind: z.enum(["service", "deployment"]), name: z.string(), build: z.number(), built_at: z.string(), stale: z.boolean(), checked_at: z.string(),
});
const BuildRow = z.object({ service: z.string(), build: z.number(), built_at: z.string() });

export interface FactsState {
  /** Services whose facts miss events stored since their last build, or that have none. */
  stale: string[];
  /** Every service with events, with its last recorded build (0 for none). */
  builds: Map<string, number>;
  /** The store time each recorded build starts from: it holds every event stored before. */
  builtAt: Map<string, string>;
  /** The store's clock at the check; undefined when no service has events. */
  checkedAt: string | undefined;
}

/** Which services' facts are out of date; use-case results count as changes when `countUsecaseBreaks`. */
export async function factsState(
  store: Store, environment: string, definition: string, settleSeconds = SETTLE_SECONDS, countUsecaseBreaks = false,
): Promise<FactsState> {
  const changes = await store.query({
    name: "dora.facts.changes", sql: CHANGES_SINCE_BUILDS, params: { environment, definition, settleSeconds, countUsecaseBreaks }, rows: ChangeRow,
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
    builtAt: new Map(services.filter((c) => c.build > 0).map((c) => [c.name, c.built_at])),
    checkedAt: changes[0]?.checked_at,
  };
}

/** Makes a service's facts stale for a change that is no event (see NOTE_SERVICE_CHANGED). */
export async function noteServiceChanged(store: Store, environment: string, service: string): Promise<void> {
  await store.command("dora.facts.noteChange", NOTE_SERVICE_CHANGED, { environment, service });
}

/** A recorded build of one service. */
interface Build {
  build: number;
  builtAt: string;
}

/**
 * Rebuilds the facts of `services` from their whole history, chunk by chunk, recording
 * each chunk's builds once written; returns each service's new build. Build numbers and
 * times come from the store (RESERVE_BUILDS), never from this process's clock.
 */
export async function buildFacts(
  store: Store, environment: string, settings: DoraSettings, services: string[], onChunk: (built: number) => void = () => {},
): Promise<Map<string, Build>> {
  const definition = definitionOf(settings);
  const builds = new Map<string, Build>();
  for (let i = 0; i < services.length; i += SERVICES_PER_BUILD) {
    const chunk = services.slice(i, i + SERVICES_PER_BUILD);
    // Taken before reading: an event stored after it makes the service stale again.
    const [reserved] = await store.query({
      name: "dora.facts.reserve", sql: RESERVE_BUILDS, params: { environment, definition }, rows: z.object({ base: z.number(), now: z.string() }),
    });
    const { base, now } = reserved!;
    const params = {
      environment, definition, services: chunk, build: base, windowSeconds: windowSecondsOf(settings),
      detectRollbacks: settings.detectRollbacks, countRegressions: settings.countRegressions ?? false, builtAt: now,
      ...(await usecaseBreakParams(store, environment, chunk, settings.countUsecaseBreaks)),
    };
    await store.command("dora.facts.buildDeployments", BUILD_DEPLOYMENT_FACTS, params);
    await store.command("dora.facts.buildCommits", BUILD_COMMIT_FACTS, params);
    await store.command("dora.facts.buildPullRequests", BUILD_PULL_REQUEST_FACTS, params);
    await store.command("dora.facts.buildQuality", BUILD_QUALITY_FACTS, params);
    await store.command("dora.facts.record", RECORD_BUILDS, params);
    chunk.forEach((service, index) => builds.set(service, { build: base + index + 1, builtAt: now }));
    onChunk(chunk.length);
  }
  return builds;
}

/** What this process's builder of one environment and definition is doing (GET /api/v1/dora/status). */
export interface BuildProgress {
  environment: string;
  definition: string;
  state: "idle" | "building";
  /** Services in the running (or last) round, and how many of them are built. */
  services: number;
  built: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the last round failed; the next request starts another. */
  error: string | null;
}

/**
 * Builds the stale services of one environment and definition in the background, one
 * round at a time. A round checks what is stale when it starts, builds it, deletes the
 * builds it replaced and records up to when incidents' causes were looked at.
 */
class FactsBuilder {
  private running: Promise<Map<string, Build>> | undefined;
  /**
   * The store's own writes if nothing but the running round wrote since it started: its
   * count then, plus each write the round made (undefined: the store cannot count them).
   */
  private roundOnlyWrites: number | undefined;
  private queued: Promise<Map<string, Build>> | undefined;
  /** The store as rounds use it: it counts their writes, so a request can tell them from new events. */
  private readonly store: Store;
  readonly progress: BuildProgress;

  constructor(store: Store, private readonly environment: string, private readonly settings: DoraSettings) {
    this.store = countingWrites(store, () => {
      if (this.roundOnlyWrites !== undefined) this.roundOnlyWrites += 1;
    });
    this.progress = {
      environment, definition: definitionOf(settings), state: "idle", services: 0, built: 0, startedAt: null, finishedAt: null, error: null,
    };
  }

  /**
   * A round that sees every event stored before this call (`writes`: the store's own writes
   * then, every acknowledged event loaded); resolves with what it built. That is the running
   * round when nothing but it wrote since it started: answers asked together (the overview's
   * three) share it, instead of the later ones waiting for a second round.
   */
  request(settleSeconds: number, writes: number | undefined): Promise<Map<string, Build>> {
    if (!this.running) return this.start(settleSeconds);
    if (writes !== undefined && writes === this.roundOnlyWrites) return this.running;
    this.queued ??= this.running.catch(() => undefined).then(() => {
      this.queued = undefined;
      return this.start(settleSeconds);
    });
    return this.queued;
  }

  private start(settleSeconds: number): Promise<Map<string, Build>> {
    this.roundOnlyWrites = this.store.ownWrites;
    const round = this.round(settleSeconds);
    this.running = round;
    round.then(
      () => (this.progress.error = null),
      (error: unknown) => (this.progress.error = error instanceof Error ? error.message : String(error)),
    ).finally(() => {
      this.progress.state = "idle";
      this.progress.finishedAt = new Date().toISOString();
      if (this.running === round) this.running = undefined;
    });
    return round;
  }

  private async round(settleSeconds: number): Promise<Map<string, Build>> {
    const { store, environment, settings, progress } = this;
    const definition = definitionOf(settings);
    const state = await factsState(store, environment, definition, settleSeconds, settings.countUsecaseBreaks !== undefined);
    Object.assign(progress, { state: "building", services: state.stale.length, built: 0, startedAt: new Date().toISOString(), finishedAt: null });
    if (state.stale.length === 0) return new Map();
    const rebuilt = await buildFacts(store, environment, settings, state.stale, (built) => (progress.built += built));
    const replaced = state.stale.filter((service) => (state.builds.get(service) ?? 0) > 0);
    if (replaced.length > 0) {
      const params = { environment, definition, services: replaced, builds: replaced.map((service) => rebuilt.get(service)!.build) };
      for (const table of MERGED_FACTS_TABLES) await store.command("dora.facts.deleteReplaced", deleteReplacedBuilds(table, store.cluster), params);
    }
    const newest = Math.max(...[...rebuilt.values()].map((b) => b.build));
    await store.command("dora.facts.causesChecked", RECORD_CAUSES_CHECKED, { environment, definition, build: newest, builtAt: state.checkedAt });
    // Every service rebuilt (a first build, a new definition, a bulk import): the rows were
    // written in chunks, so merge them as if written at once. Smaller builds leave it to the engine.
    if (state.stale.length >= state.builds.size) {
      for (const table of MERGED_FACTS_TABLES) await optimizeSharded(store, "dora.facts.merge", table);
    }
    return rebuilt;
  }
}

const WRITES = new Set<PropertyKey>(["command", "insert", "insertJsonEachRow"]);
/** `store`, calling `counted` after each write it finishes (or fails); reads pass through. */
function countingWrites(store: Store, counted: () => void): Store {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (!WRITES.has(property)) return value.bind(target);
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } finally {
          counted();
        }
      };
    },
  });
}

const builders = new WeakMap<Store, Map<string, FactsBuilder>>();
function builderOf(store: Store, environment: string, settings: DoraSettings): FactsBuilder {
  const key = `${environment}|${definitionOf(settings)}`;
  const ofStore = builders.get(store) ?? new Map<string, FactsBuilder>();
  builders.set(store, ofStore);
  const builder = ofStore.get(key) ?? new FactsBuilder(store, environment, settings);
  ofStore.set(key, builder);
  return builder;
}

/** What this process's builders are doing, per environment and definition. */
export function buildProgress(store: Store): BuildProgress[] {
  return [...(builders.get(store)?.values() ?? [])].map((builder) => ({ ...builder.progress }));
}

/** How fresh an answer is: every event stored before `asOf` is in it (null: some service has no facts yet). */
export interface Freshness {
  asOf: string | null;
  /** False while the facts of some service are being rebuilt: the answer reads its previous build. */
  upToDate: boolean;
}

/** One complete build per service, as a request reads them. */
interface FactsView {
  builds: Map<string, number>;
  freshness: Freshness;
}

function viewOf(state: FactsState, rebuilt: Map<string, Build> = new Map()): FactsView {
  const builds = new Map([...state.builds].filter(([, build]) => build > 0));
  const builtAt = new Map(state.builtAt);
  for (const [service, { build, builtAt: at }] of rebuilt) {
    builds.set(service, build);
    builtAt.set(service, at);
  }
  const behind = state.stale.filter((service) => !rebuilt.has(service));
  if (behind.length === 0) return { builds, freshness: { asOf: state.checkedAt ? isoOf(state.checkedAt) : null, upToDate: true } };
  const times = behind.map((service) => builtAt.get(service));
  const asOf = times.includes(undefined) ? null : isoOf(times.reduce((a, b) => (a! < b! ? a : b))!);
  return { builds, freshness: { asOf, upToDate: false } };
}

/**
 * The store's own writes once the events acknowledged so far are loaded: an event still
 * in the ingest log is a write to come, which an unchanged count must not hide.
 */
async function loadedWrites(store: Store): Promise<number | undefined> {
  await store.ingestLoaded?.();
  return store.ownWrites;
}

/** Per store and key: the view a check found all current, and the store's own writes then. */
const current = new WeakMap<Store, Map<string, { ownWrites: number; view: FactsView }>>();

/** Resolves true if `work` succeeds within `ms`. */
function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    work.then(() => resolve(true), () => resolve(false)).finally(() => clearTimeout(timer));
  });
}

/**
 * The facts a request reads: the last complete build of every service. Services that
 * changed are rebuilt in the background; the request waits for that up to `waitMs`
 * (a small change builds in milliseconds) and otherwise reads their previous build, as
 * its freshness says. Cheap when nothing changed: one small query, or none when this
 * process is the only writer and has written nothing since a check found all current.
 */
async function currentFacts(store: Store, environment: string, settings: DoraSettings, waitMs: number, settleSeconds: number): Promise<FactsView> {
  const definition = definitionOf(settings);
  const key = `${environment}|${definition}`;
  const checked = current.get(store) ?? new Map<string, { ownWrites: number; view: FactsView }>();
  current.set(store, checked);
  const ownWrites = await loadedWrites(store);
  const known = checked.get(key);
  if (known && ownWrites !== undefined && known.ownWrites === ownWrites) return known.view;
  const state = await factsState(store, environment, definition, settleSeconds, settings.countUsecaseBreaks !== undefined);
  if (state.stale.length === 0) {
    const view = viewOf(state);
    if (ownWrites !== undefined) checked.set(key, { ownWrites, view });
    return view;
  }
  const round = builderOf(store, environment, settings).request(settleSeconds, ownWrites);
  // A failed round is in the builder's progress, and the next request starts another;
  // meanwhile answers read the previous builds, unless the caller waits for the build.
  round.catch(() => undefined);
  if (!Number.isFinite(waitMs)) return viewOf(state, await round);
  return viewOf(state, (await settlesWithin(round, waitMs)) ? await round : new Map());
}

/** The builds `view` read are still each service's last: nothing can have deleted their rows. */
async function stillCurrent(store: Store, environment: string, settings: DoraSettings, view: FactsView, writesAtRead: number | undefined) {
  // The embedded engine's only writer is this process: no write, no build, no deletion.
  if (writesAtRead !== undefined && store.ownWrites === writesAtRead) return true;
  const last = await store.query({
    name: "dora.facts.lastBuilds", sql: LAST_BUILDS, params: { environment, definition: definitionOf(settings) }, rows: BuildRow,
  });
  return last.every(({ service, build }) => !view.builds.has(service) || view.builds.get(service) === build);
}

export class FactsChangingError extends Error {}

/**
 * Runs `read` (every query of one answer) over one complete build of each service, from
 * start to end: if a newer build replaced one of those builds meanwhile (and so may have
 * deleted its rows), the answer is read again over the newer builds.
 */
export async function readFacts<T>(
  store: Store, environment: string, settings: DoraSettings, read: (builds: number[]) => Promise<T>, settleSeconds = SETTLE_SECONDS,
): Promise<{ value: T; freshness: Freshness }> {
  for (let attempt = 1; ; attempt++) {
    // Counted before the check: a build recorded after it changes the count.
    const writesAtRead = await loadedWrites(store);
    const view = await currentFacts(store, environment, settings, settings.buildWaitMs ?? Infinity, settleSeconds);
    const value = await read([...view.builds.values()]);
    if (await stillCurrent(store, environment, settings, view, writesAtRead)) return { value, freshness: view.freshness };
    if (attempt === READ_ATTEMPTS) throw new FactsChangingError(`the DORA facts of ${environment} were rebuilt under ${READ_ATTEMPTS} reads in a row`);
  }
}

/**
 * Brings the facts of one environment up to date with every event stored so far (waiting
 * for the build) and returns the current build of every service.
 */
export async function refreshFacts(store: Store, environment: string, settings: DoraSettings, settleSeconds = SETTLE_SECONDS): Promise<number[]> {
  return [...(await currentFacts(store, environment, settings, Infinity, settleSeconds)).builds.values()];
}
