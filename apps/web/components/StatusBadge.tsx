import type { DeploymentStatusName } from "../lib/types.ts";

const LABELS: Record<DeploymentStatusName, string> = {
  started: "In progress",
  succeeded: "Succeeded",
  failed: "Failed",
  rolled_back: "Rolled back",
};

export function statusLabel(status: DeploymentStatusName): string {
  return LABELS[status] ?? status;
}

/** A deployment's current status; `asEvent` labels one past lifecycle step instead ("Started", not "In progress"). */
export function StatusBadge({ status, asEvent = false }: { status: DeploymentStatusName; asEvent?: boolean }) {
  const label = asEvent && status === "started" ? "Started" : statusLabel(status);
  return (
    <span className={`badge badge-${status}${asEvent ? "" : " badge-current"}`} data-status={status}>
      <span className="badge-dot" aria-hidden />
      {label}
    </span>
  );
}

/** rollback / hotfix deployments are flagged; normal ones need no badge. */
export function KindBadge({ kind }: { kind: string }) {
  if (!kind || kind === "normal") return null;
  return <span className={`tag tag-${kind}`}>{kind}</span>;
}
