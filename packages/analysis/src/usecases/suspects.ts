import type { Store } from "@drumbeat/store";
import { deployedCommits, pushedCommits, type Scope } from "./queries.ts";
import type { DeploymentRef, SuspectCommit } from "./schemas.ts";

export interface BreakSpan {
  lastPassing: DeploymentRef;
  breaking: DeploymentRef;
}

const spanKey = (span: BreakSpan) => `${span.lastPassing.deploymentId}\u0000${span.breaking.deploymentId}`;

/**
 * The suspect commits of each break, keyed by spanKey: the commits carried by the
 * deployments after the last passing one up to the breaking one (each commit once, at the
 * first deployment that carried it). When none of those deployments listed commits, the
 * commits seen on pushes between the two versions stand in.
 */
export async function findSuspects(store: Store, scope: Scope, spans: BreakSpan[]): Promise<(span: BreakSpan) => SuspectCommit[]> {
  const unique = [...new Map(spans.map((span) => [spanKey(span), span])).values()];
  const found = new Map<string, SuspectCommit[]>();
  if (unique.length === 0) return () => [];
  const rows = await deployedCommits(store, scope, unique.map((s) => ({ after: s.lastPassing.deployedAt, upto: s.breaking.deployedAt })));
  for (const span of unique) {
    const after = Date.parse(span.lastPassing.deployedAt);
    const upto = Date.parse(span.breaking.deployedAt);
    const seen = new Set<string>();
    const commits: SuspectCommit[] = [];
    for (const row of rows) {
      const at = Date.parse(row.deployedAt);
      if (at <= after || at > upto || row.sha === "" || seen.has(row.sha)) continue;
      seen.add(row.sha);
      commits.push({ sha: row.sha, author: row.author, message: row.message, authoredAt: row.authoredAt, deploymentId: row.deploymentId });
    }
    found.set(spanKey(span), commits);
  }
  const fromPushes = unique.filter((span) => found.get(spanKey(span))!.length === 0 && span.lastPassing.version !== span.breaking.version);
  const pushed = await pushedCommits(store, scope, fromPushes.map((span) => ({ fromVersion: span.lastPassing.version, toVersion: span.breaking.version })));
  fromPushes.forEach((span, i) => found.set(spanKey(span), pushed[i]!));
  return (span) => found.get(spanKey(span)) ?? [];
}
