import { Link } from "./Link.tsx";
import { formatDuration } from "../lib/format.ts";
import type { DeploymentDetail } from "../lib/types.ts";
import { deploymentHref } from "./DeploymentRow.tsx";
import { Timestamp } from "./Timestamp.tsx";

/** The key facts of one deployment as a definition grid; absent values are left out. */
export function DeploymentFacts({ deployment: d, now }: { deployment: DeploymentDetail; now: string }) {
  const running = d.status === "started";
  const facts: [string, React.ReactNode][] = [
    ["Deployment", <span className="mono">{d.deploymentId}</span>],
    ["Version", <span className="mono break">{d.version}</span>],
    ["Team", d.team],
    ["Started", <Timestamp iso={d.startedAt} now={now} />],
    [running ? "Last update" : "Finished", <Timestamp iso={d.statusAt} now={now} />],
    ["Duration", running ? "still running" : formatDuration(d.startedAt, d.statusAt)],
    ["Strategy", d.strategy],
    ["Actor", d.actor],
    ["Source", d.source],
    ["Artifact", d.artifact && <span className="mono break">{d.artifact}</span>],
    ["Rolls back", d.rollsBack && <Link href={deploymentHref(d.rollsBack)}>{d.rollsBack}</Link>],
    ["Link", d.url && <a href={d.url} rel="noopener noreferrer" target="_blank">{d.url}</a>],
  ];
  return (
    <dl className="card facts">
      {facts
        .filter(([, value]) => Boolean(value))
        .map(([label, value]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}
