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

export function StatusBadge({ status }: { status: DeploymentStatusName }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      <span className="badge-dot" aria-hidden />
      {statusLabel(status)}
    </span>
  );
}

/** rollback / hotfix deployments are flagged; normal ones need no badge. */
export function KindBadge({ kind }: { kind: string }) {
  if (!kind || kind === "normal") return null;
  return <span className={`tag tag-${kind}`}>{kind}</span>;
}
