import type { Store } from "@drumbeat/store";
import { FAR_FUTURE, commitsOf, deployedCommits, pushedCommits, type Scope, type WindowDeployments } from "./queries.ts";
import type { DeploymentRef, SuspectCommit } from "./schemas.ts";

export interface BreakSpan {
  lastPassing: DeploymentRef;
  breaking: DeploymentRef;
}

const spanKey = (span: BreakSpan) => `${span.lastPassing.deploymentId}\u0000${span.breaking.deploymentId}`;

type CommitRow = Awaited<ReturnType<typeof deployedCommits>>[number];

/** Whether a deployment started at `deployedAt` is in the span: after its last passing deployment, up to its breaking one. */
const inSpan = (span: BreakSpan, deployedAt: string) =>
  Date.parse(deployedAt) > Date.parse(span.lastPassing.deployedAt) && Date.parse(deployedAt) <= Date.parse(span.breaking.deployedAt);

/** The commits of the deployments in the span, each once (at the first that carried it). */
function carriedIn(span: BreakSpan, rows: CommitRow[]): SuspectCommit[] {
  const seen = new Set<string>();
  const commits: SuspectCommit[] = [];
  for (const row of rows) {
    if (!inSpan(span, row.deployedAt) || row.sha === "" || seen.has(row.sha)) continue;
    seen.add(row.sha);
    commits.push({ sha: row.sha, author: row.author, message: row.message, authoredAt: row.authoredAt, deploymentId: row.deploymentId });
  }
  return commits;
}

/**
 * The suspect commits of each break, keyed by spanKey: the commits carried by the
 * deployments after the last passing one up to the breaking one (each commit once, at the
 * first deployment that carried it). When none of those deployments listed commits, the
 * commits seen on pushes between the two versions stand in.
 *
 * `window`: deployments the caller has read, every one started inside (since, until). A
 * span inside that range needs only their commits, looked up by id; the others are dated
 * again from the deployment events.
 */
export async function findSuspects(store: Store, scope: Scope, spans: BreakSpan[], window?: WindowDeployments): Promise<(span: BreakSpan) => SuspectCommit[]> {
  const unique = [...new Map(spans.map((span) => [spanKey(span), span])).values()];
  const found = new Map<string, SuspectCommit[]>();
  if (unique.length === 0) return () => [];
  const inWindow = (span: BreakSpan) => window !== undefined && Date.parse(span.lastPassing.deployedAt) >= Date.parse(window.since)
    && (Date.parse(span.breaking.deployedAt) < Date.parse(window.until) || window.until === FAR_FUTURE);
  const known = unique.filter(inWindow);
  const other = unique.filter((span) => !inWindow(span));
  const carried = known.length === 0 ? [] : window!.deployments.filter((d) => known.some((span) => inSpan(span, d.deployedAt)));
  const [knownRows, otherRows] = await Promise.all([
    commitsOf(store, scope, carried),
    other.length === 0 ? [] : deployedCommits(store, scope, other.map((s) => ({ after: s.lastPassing.deployedAt, upto: s.breaking.deployedAt }))),
  ]);
  for (const span of unique) found.set(spanKey(span), carriedIn(span, inWindow(span) ? knownRows : otherRows));
  const fromPushes = unique.filter((span) => found.get(spanKey(span))!.length === 0 && span.lastPassing.version !== span.breaking.version);
  const pushed = await pushedCommits(store, scope, fromPushes.map((span) => ({ fromVersion: span.lastPassing.version, toVersion: span.breaking.version })));
  fromPushes.forEach((span, i) => found.set(spanKey(span), pushed[i]!));
  return (span) => found.get(spanKey(span)) ?? [];
}
