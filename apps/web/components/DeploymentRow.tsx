import { Link } from "./Link.tsx";
import { formatSeconds } from "../lib/figures.ts";
import { formatDuration, shortVersion } from "../lib/format.ts";
import type { DeploymentSummary } from "../lib/types.ts";
import { KindBadge, StatusBadge } from "./StatusBadge.tsx";
import { Timestamp } from "./Timestamp.tsx";

export function deploymentHref(deploymentId: string): string {
  return `/deployments/${encodeURIComponent(deploymentId)}`;
}

const none = <span className="muted">—</span>;

export function DeploymentRow({ deployment: d, now }: { deployment: DeploymentSummary; now: string }) {
  const running = d.status === "started";
  return (
    <tr
      data-deployment-id={d.deploymentId}
      data-service={d.service}
      data-team={d.team}
      data-environment={d.environment}
      data-status={d.status}
    >
      <td>
        <StatusBadge status={d.status} />
      </td>
      <td>
        <Link href={deploymentHref(d.deploymentId)} className="row-link" data-testid="deployment-link">
          {d.service}
        </Link>
        <KindBadge kind={d.kind} />
        <div className="muted small"><span className="env">{d.environment}</span>{d.team && ` · ${d.team}`}</div>
      </td>
      <td className="mono" title={`${d.version} (${d.deploymentId})`}>
        {shortVersion(d.version)}
      </td>
      <td data-testid="strategy" data-canary-steps={d.canarySteps}>
        {d.strategy || none}
        {d.canarySteps > 0 && <div className="muted small">{d.canarySteps} canary {d.canarySteps === 1 ? "step" : "steps"}</div>}
      </td>
      <td>
        <Timestamp iso={d.startedAt} now={now} />
      </td>
      <td className="num">{running ? <span className="muted">running</span> : formatDuration(d.startedAt, d.statusAt)}</td>
      <td className="num" data-testid="lead-time" data-seconds={d.leadTimeSeconds ?? ""}>
        {d.leadTimeSeconds === null ? none : formatSeconds(d.leadTimeSeconds)}
      </td>
      <td data-testid="verdict" data-verdict={d.verdict ?? ""}>
        {d.verdict ? <span className={`verdict verdict-${d.verdict}`}>{d.verdict.replace(/_/g, " ")}</span> : none}
      </td>
      <td data-testid="authors">
        {d.authors.length > 0 ? d.authors.join(", ") : none}
        {d.actor && <div className="muted small">deployed by {d.actor}</div>}
      </td>
    </tr>
  );
}
