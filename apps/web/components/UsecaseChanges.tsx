import { Link } from "./Link.tsx";
import { formatSeconds } from "../lib/figures.ts";
import { firstLine } from "../lib/format.ts";
import type { DeploymentDetail } from "../lib/types.ts";

/** The use cases a deployment broke (with the blamed commit) and fixed. */
export function UsecaseChanges({ changes, service, environment }: { changes: DeploymentDetail["usecases"]; service: string; environment: string }) {
  if (changes.broke.length === 0 && changes.fixed.length === 0) return null;
  const href = (usecase: string) => `/usecases/${encodeURIComponent(usecase)}?service=${encodeURIComponent(service)}&environment=${encodeURIComponent(environment)}`;
  return (
    <section className="card section" aria-labelledby="usecases-heading" data-testid="usecase-changes">
      <h2 id="usecases-heading">Use cases</h2>
      <ul className="plain-list">
        {changes.broke.map((brk) => (
          <li key={`broke-${brk.usecase}`} data-testid="usecase-broke" data-usecase={brk.usecase}>
            <span className="badge badge-failed">broke</span> <Link href={href(brk.usecase)}>{brk.usecase}</Link>
            {brk.flaky ? <span className="muted"> (flaky: not blamed)</span> : brk.culprit
              ? <span className="muted"> by <span className="sha mono">{brk.culprit.sha.slice(0, 7)}</span> {firstLine(brk.culprit.message)}</span>
              : <span className="muted"> ({brk.suspects.length} suspect commits)</span>}
            {brk.fixing && <span className="muted"> · fixed by <Link href={`/deployments/${encodeURIComponent(brk.fixing.deploymentId)}`} className="mono">{brk.fixing.deploymentId}</Link></span>}
          </li>
        ))}
        {changes.fixed.map((fix) => (
          <li key={`fixed-${fix.usecase}`} data-testid="usecase-fixed" data-usecase={fix.usecase}>
            <span className="badge badge-succeeded">fixed</span> <Link href={href(fix.usecase)}>{fix.usecase}</Link>
            <span className="muted"> · broken in <Link href={`/deployments/${encodeURIComponent(fix.breaking.deploymentId)}`} className="mono">{fix.breaking.deploymentId}</Link>
              {fix.brokenSeconds !== null && ` for ${formatSeconds(fix.brokenSeconds)}`}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
