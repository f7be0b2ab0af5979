import { firstLine } from "../lib/format.ts";
import type { DeploymentCommit } from "../lib/types.ts";
import { Timestamp } from "./Timestamp.tsx";

/** The commits a deployment carried, newest first (as the API orders them). */
export function CommitList({ commits, now }: { commits: DeploymentCommit[]; now: string }) {
  if (commits.length === 0) {
    return <p className="muted">This deployment did not report its commits.</p>;
  }
  return (
    <ul className="commits" data-testid="commits">
      {commits.map((commit) => (
        <li key={commit.sha} className="commit">
          <div className="commit-message" title={commit.message}>
            {firstLine(commit.message) || <span className="muted">(no message)</span>}
          </div>
          <div className="commit-meta small muted">
            <span className="mono sha" title={commit.sha}>
              {commit.sha.slice(0, 7)}
            </span>
            {commit.author && <span>{commit.author}</span>}
            <Timestamp iso={commit.authoredAt} now={now} inline />
          </div>
        </li>
      ))}
    </ul>
  );
}
