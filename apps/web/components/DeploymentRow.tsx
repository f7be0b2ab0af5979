import Link from "next/link";
import { formatDuration, shortVersion } from "../lib/format.ts";
import type { DeploymentSummary } from "../lib/types.ts";
import { KindBadge, StatusBadge } from "./StatusBadge.tsx";
import { Timestamp } from "./Timestamp.tsx";

export function deploymentHref(deploymentId: string): string {
  return `/deployments/${encodeURIComponent(deploymentId)}`;
}

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
        <div className="muted small mono">{d.deploymentId}</div>
      </td>
      <td>
        <span className="env">{d.environment}</span>
      </td>
      <td>{d.team || <span className="muted">—</span>}</td>
      <td className="mono" title={d.version}>
        {shortVersion(d.version)}
      </td>
      <td>
        <Timestamp iso={d.startedAt} now={now} />
      </td>
      <td className="num">{running ? <span className="muted">running</span> : formatDuration(d.startedAt, d.statusAt)}</td>
      <td>{d.actor || <span className="muted">—</span>}</td>
      <td data-testid="verdict" data-verdict={d.verdict ?? ""}>
        {d.verdict ? <span className={`verdict verdict-${d.verdict}`}>{d.verdict.replace(/_/g, " ")}</span> : <span className="muted">—</span>}
      </td>
    </tr>
  );
}
