import type { EventInput } from "@drumbeat/events";
import { Random } from "./random.ts";
import {
  AUTHORS, CHANGES, FLAKY_USECASE, INCIDENT_TITLES, PROFILES, THINGS, USECASE_ERRORS, type ServiceProfile,
} from "./profiles.ts";

export interface DemoOptions {
  seed: number;
  /** Days of history, ending with the day of `end`. */
  days: number;
  /** How many of the demo services (the first N profiles). */
  services: number;
  /** Nothing later than this is generated. */
  end: Date;
}

/** Every demo event carries an explicit id made of the seed and counters, never of times: a rerun repeats the ids. */
export type DemoEvent = EventInput & { id: string; occurredAt: string };

export const MAX_DEMO_SERVICES = PROFILES.length;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How production failures are remediated, taken in turn per service so every kind shows up. */
const FAILURE_MODES = ["failed", "rollback", "hotfix", "flag_kill"] as const;
type FailureMode = (typeof FAILURE_MODES)[number];

const iso = (ms: number) => new Date(ms).toISOString();

/** FNV-1a, to give each service its own random stream: adding a service leaves the others' history alone. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}

interface Release {
  version: string;
  artifact: string;
}

interface Commit {
  sha: string;
  author: string;
  authoredAt: string;
  committedAt: string;
  message: string;
}

interface DeploySpec {
  environment: "staging" | "production";
  deploymentId: string;
  version: string;
  artifact: string;
  at: number;
  status: "succeeded" | "failed";
  strategy: ServiceProfile["strategy"];
  commits?: Commit[];
  kind?: "rollback" | "hotfix";
  rollsBack?: string;
  actor: string;
}

/** One service's history, deployment after deployment, with the state that carries over. */
class ServiceHistory {
  readonly events: DemoEvent[] = [];
  private count = 0;
  private failures = 0;
  /** What production runs now: a rollback goes back to it. */
  private live: Release | undefined;
  /** Use cases broken by a deployment and not fixed yet, with their error. */
  private readonly broken = new Map<string, string>();
  private readonly source: string;
  private readonly authors: readonly string[];

  constructor(private readonly rnd: Random, private readonly p: ServiceProfile, private readonly index: number, private readonly prefix: string) {
    this.source = p.team === "payments" || p.team === "catalog" ? "github-actions" : "gitlab-ci";
    this.authors = AUTHORS[p.team] ?? ["dev"];
  }

  private emit(event: DemoEvent) {
    this.events.push(event);
  }

  private common(environment: string, at: number) {
    return { occurredAt: iso(at), service: this.p.service, environment, team: this.p.team };
  }

  private message(): string {
    return this.rnd.pick(CHANGES).replace("{thing}", this.rnd.pick(THINGS));
  }

  /** Commits authored a lead time before `deployAt`, pushed before `pushedBy`; each also sent as a push event. */
  private writeCommits(deployAt: number, pushedBy: number, count: number, message?: string): Commit[] {
    const commits: Commit[] = [];
    for (let i = 0; i < count; i++) {
      const authored = Math.min(deployAt - this.rnd.logUniform(...this.p.leadHours) * HOUR, pushedBy - 10 * MINUTE);
      const committed = Math.min(authored + this.rnd.int(1, 90) * MINUTE, pushedBy - 5 * MINUTE);
      commits.push({ sha: this.rnd.hex(40), author: this.rnd.pick(this.authors), authoredAt: iso(authored), committedAt: iso(committed), message: message ?? this.message() });
    }
    commits.sort((a, b) => a.authoredAt.localeCompare(b.authoredAt));
    for (const commit of commits) {
      this.emit({
        type: "commit", id: `${this.prefix}-commit-${commit.sha.slice(0, 16)}`, ...this.common("production", Date.parse(commit.committedAt)),
        source: this.source, repository: `acme/${this.p.service}`, ...commit,
      });
    }
    return commits;
  }

  /**
   * The pull request that brought `commits` in, between their last commit and `mergedBy`:
   * opened, reviewed, approved and merged at fixed fractions of that span (no random draw,
   * so the rest of the history stays as it was). Every seventh release is pushed without one.
   */
  private pullRequest(tag: string, commits: Commit[], mergedBy: number) {
    if (this.count % 7 === 0) return;
    const last = Date.parse(commits.at(-1)!.committedAt);
    const span = Math.max(mergedBy - last, MINUTE);
    const steps = [["opened", 0.1], ["reviewed", 0.45], ["approved", 0.6], ["merged", 0.9]] as const;
    for (const [status, fraction] of steps) {
      this.emit({
        type: "pull_request", id: `${tag}-pr-${status}`, ...this.common("production", last + Math.round(span * fraction)), source: this.source,
        repository: `acme/${this.p.service}`, number: this.count, status, title: commits.at(-1)!.message, author: commits.at(-1)!.author,
        commits: commits.map((commit) => commit.sha),
      });
    }
  }

  /** The lifecycle events of one deployment; returns when it finished. Canaries step 10 -> 50 -> 100. */
  private lifecycle(d: DeploySpec, suffix: string, at: number, status: DeploySpec["status"] | "started" | "rolled_back", extra: { canaryWeight?: number; commits?: Commit[] } = {}) {
    this.emit({
      type: "deployment", id: `${d.deploymentId}-${suffix}`, ...this.common(d.environment, at), source: this.source,
      deploymentId: d.deploymentId, version: d.version, artifact: d.artifact, status, strategy: d.strategy, kind: d.kind, rollsBack: d.rollsBack,
      url: `https://ci.example.com/acme/${this.p.service}/pipelines/${d.deploymentId}`, actor: d.actor, ...extra,
    });
  }

  private deploy(d: DeploySpec): number {
    const step = (suffix: string, at: number, status: DeploySpec["status"] | "started", extra?: { canaryWeight?: number; commits?: Commit[] }) =>
      this.lifecycle(d, suffix, at, status, extra);

    step("started", d.at, "started", d.strategy === "canary" ? { canaryWeight: 10, commits: d.commits } : { commits: d.commits });
    if (d.strategy !== "canary") {
      const finished = d.at + this.rnd.int(2, 12) * MINUTE;
      step(d.status, finished, d.status);
      return finished;
    }
    // A failing canary is stopped at its first step; a healthy one is promoted to half, then all traffic.
    let at = d.at + this.rnd.int(8, 20) * MINUTE;
    if (d.status === "failed") {
      step("failed", at, "failed", { canaryWeight: 10 });
      return at;
    }
    step("canary-50", at, "started", { canaryWeight: 50 });
    at += this.rnd.int(8, 20) * MINUTE;
    step("succeeded", at, "succeeded", { canaryWeight: 100 });
    return at;
  }

  /** The post-deployment smoke suite against production. */
  private runUsecases(deploymentId: string, version: string, at: number, change: { breaks: boolean; fixesAll: boolean }) {
    for (const usecase of [...this.broken.keys()]) if (change.fixesAll || this.rnd.chance(0.5)) this.broken.delete(usecase);
    const candidates = this.p.usecases.filter((u) => !(this.p.service === FLAKY_USECASE.service && u === FLAKY_USECASE.usecase));
    if (change.breaks && candidates.length > 0) this.broken.set(this.rnd.pick(candidates), this.rnd.pick(USECASE_ERRORS));
    let t = at;
    this.p.usecases.forEach((usecase, i) => {
      const flaky = this.p.service === FLAKY_USECASE.service && usecase === FLAKY_USECASE.usecase;
      const error = this.broken.get(usecase) ?? (flaky && this.rnd.chance(0.3) ? "timed out after 30000 ms waiting for coupon banner" : undefined);
      const durationMs = this.rnd.int(600, 15_000);
      this.emit({
        type: "usecase", id: `${deploymentId}-usecase-${i}`, ...this.common("production", t), source: "playwright",
        deploymentId, version, usecase, suite: "smoke", status: error ? "fail" : "pass", durationMs, error,
      });
      t += durationMs;
    });
  }

  private incident(tag: string, status: "opened" | "acknowledged" | "resolved", at: number, details: { causedBy?: string; title: string; severity: string }) {
    this.emit({
      type: "incident", id: `${tag}-incident-${status}`, ...this.common("production", at), source: "pagerduty", incidentId: `${tag}-incident`,
      status, url: `https://acme.pagerduty.example/incidents/${tag}`, ...details,
    });
  }

  private flag(id: string, at: number, flag: string, action: "rollout" | "disabled", actor: string, percentage?: number) {
    this.emit({ type: "flag", id, ...this.common("production", at), source: "flagd", flag, action, percentage, actor });
  }

  /** One release: commits, staging, then (if staging passed) production with its aftermath. */
  release(at: number) {
    this.count += 1;
    const tag = `${this.prefix}-${this.p.service}-${String(this.count).padStart(4, "0")}`;
    const stagingAt = at - this.rnd.int(20, 180) * MINUTE;
    const commits = this.writeCommits(at, stagingAt, this.rnd.pick([1, 1, 2, 2, 3, 4]));
    this.pullRequest(tag, commits, stagingAt - 2 * MINUTE);
    const version = commits.at(-1)!.sha;
    const artifact = `registry.example.com/acme/${this.p.service}@sha256:${this.rnd.hex(64)}`;
    const actor = commits.at(-1)!.author;
    const stagingOk = !this.rnd.chance(0.04);
    this.deploy({ environment: "staging", deploymentId: `${tag}-staging`, version, artifact, at: stagingAt, status: stagingOk ? "succeeded" : "failed", strategy: "rolling", commits, actor });
    if (!stagingOk) return;

    const mode: FailureMode | undefined = this.rnd.chance(this.p.failureRate) ? FAILURE_MODES[(this.index + this.failures++) % FAILURE_MODES.length] : undefined;
    const deploymentId = `${tag}-production`;
    const production: DeploySpec = { environment: "production", deploymentId, version, artifact, at, status: mode === "failed" ? "failed" : "succeeded", strategy: this.p.strategy, commits, actor };
    const doneAt = this.deploy(production);
    // A failed deployment leaves the previous release running; the next deployment is the recovery.
    if (mode === "failed") return;
    const previous = this.live;
    this.live = { version, artifact };
    if (!mode && this.rnd.chance(0.1)) {
      this.flag(`${tag}-flag-rollout`, doneAt + 5 * MINUTE, `${this.p.service}.${this.rnd.pick(THINGS).replace(/ /g, "-")}`, "rollout", actor, this.rnd.pick([10, 25, 50, 100]));
    }
    this.runUsecases(deploymentId, version, doneAt + 3 * MINUTE, { breaks: this.rnd.chance(mode ? 0.5 : 0.03), fixesAll: false });
    if (mode) this.remediate(mode === "rollback" && !previous ? "hotfix" : mode, tag, production, doneAt, previous);
  }

  /** An incident after a bad deployment, and what ended it: a rollback, a hotfix or a flag kill. */
  private remediate(mode: Exclude<FailureMode, "failed">, tag: string, bad: DeploySpec, doneAt: number, previous: Release | undefined) {
    const { deploymentId, actor } = bad;
    const recoverAt = doneAt + this.rnd.logUniform(...this.p.recoveryMinutes) * MINUTE;
    const openedAt = doneAt + (recoverAt - doneAt) * this.rnd.logUniform(0.05, 0.4);
    // Half the incidents are linked by the responder; the rest only correlate in time.
    const details = {
      causedBy: this.rnd.chance(0.5) ? deploymentId : undefined,
      title: `${this.p.service}: ${this.rnd.pick(INCIDENT_TITLES)}`,
      severity: this.rnd.pick(["sev1", "sev2", "sev2", "sev3"]),
    };
    this.incident(tag, "opened", openedAt, details);
    this.incident(tag, "acknowledged", openedAt + this.rnd.int(1, 15) * MINUTE, details);

    let recoveredAt = recoverAt;
    if (mode === "rollback" && previous) {
      const rollbackId = `${tag}-rollback`;
      recoveredAt = this.deploy({ environment: "production", deploymentId: rollbackId, version: previous.version, artifact: previous.artifact, at: recoverAt, status: "succeeded", strategy: "rolling", kind: "rollback", rollsBack: deploymentId, actor });
      this.lifecycle(bad, "rolled_back", recoveredAt, "rolled_back");
      this.live = previous;
      this.runUsecases(rollbackId, previous.version, recoveredAt + 3 * MINUTE, { breaks: false, fixesAll: true });
    } else if (mode === "hotfix") {
      const hotfixId = `${tag}-hotfix`;
      const commits = this.writeCommits(recoverAt, recoverAt - 5 * MINUTE, 1, `fix: hotfix for ${details.title}`);
      const fix = { version: commits[0]!.sha, artifact: `registry.example.com/acme/${this.p.service}@sha256:${this.rnd.hex(64)}` };
      recoveredAt = this.deploy({ environment: "production", deploymentId: hotfixId, ...fix, at: recoverAt, status: "succeeded", strategy: "rolling", kind: "hotfix", commits, actor: commits[0]!.author });
      this.live = fix;
      this.runUsecases(hotfixId, fix.version, recoveredAt + 3 * MINUTE, { breaks: false, fixesAll: true });
    } else {
      const flag = `${this.p.service}.${this.rnd.pick(THINGS).replace(/ /g, "-")}`;
      this.flag(`${tag}-flag-rollout`, doneAt + 2 * MINUTE, flag, "rollout", actor, 50);
      this.flag(`${tag}-flag-kill`, recoverAt, flag, "disabled", this.rnd.pick(this.authors));
    }
    this.incident(tag, "resolved", recoveredAt + this.rnd.int(5, 30) * MINUTE, details);
  }
}

/**
 * A realistic delivery history of `days` days ending at `end`: releases on weekday working
 * hours promoted staging -> production, canary steps, failures and their remediation,
 * incidents, flag kills and use-case results. Pure: the same options give the same events.
 */
export function generateDemo(options: DemoOptions): DemoEvent[] {
  const end = options.end.getTime();
  const lastDay = Math.floor(end / DAY) * DAY;
  const events: DemoEvent[] = [];
  PROFILES.slice(0, options.services).forEach((profile, index) => {
    const rnd = new Random(Math.imul(options.seed, 0x9e3779b1) ^ hashName(profile.service));
    const history = new ServiceHistory(rnd, profile, index, `demo-s${options.seed}`);
    for (let day = lastDay - (options.days - 1) * DAY; day <= lastDay; day += DAY) {
      const weekday = new Date(day).getUTCDay() % 6 !== 0;
      const slots = Array.from({ length: rnd.poisson(profile.perWeekday * (weekday ? 1 : 0.05)) }, () => day + rnd.int(9 * 60, 18 * 60) * MINUTE);
      for (const at of slots.sort((a, b) => a - b)) history.release(at);
    }
    events.push(...history.events);
  });
  return events
    .filter((event) => Date.parse(event.occurredAt) <= end)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
}
