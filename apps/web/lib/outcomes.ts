/**
 * How each deployment on the timeline ended, and the color it is drawn in. Kept apart from
 * lib/timeline.ts so the browser's chart imports no server-side module.
 */
import type { DeploymentSummary } from "./types.ts";

export type Outcome = "succeeded" | "failed" | "rolled_back" | "regressed" | "in_progress";

export const OUTCOMES: { outcome: Outcome; label: string; color: string }[] = [
  { outcome: "succeeded", label: "Succeeded", color: "var(--green)" },
  { outcome: "regressed", label: "Regressed its metrics", color: "var(--amber)" },
  { outcome: "rolled_back", label: "Rolled back", color: "var(--violet)" },
  { outcome: "failed", label: "Failed", color: "var(--red)" },
  { outcome: "in_progress", label: "In progress", color: "var(--blue)" },
];

/**
 * How a deployment ended, worst first: failed; rolled back (its own status, or a later
 * rollback deployment names it); regressed (succeeded, but its metric verdict says worse);
 * in progress; succeeded.
 */
export function outcomeOf(deployment: DeploymentSummary, rolledBack: ReadonlySet<string>): Outcome {
  if (deployment.status === "failed") return "failed";
  if (deployment.status === "rolled_back" || rolledBack.has(deployment.deploymentId)) return "rolled_back";
  if (deployment.status === "started") return "in_progress";
  return deployment.verdict === "regressed" ? "regressed" : "succeeded";
}

export interface Marker {
  deploymentId: string;
  version: string;
  /** Epoch milliseconds of its final status (its start while in progress). */
  at: number;
  outcome: Outcome;
}

export function markersOf(deployments: readonly DeploymentSummary[]): Marker[] {
  const rolledBack = new Set(deployments.filter((d) => d.kind === "rollback" && d.rollsBack).map((d) => d.rollsBack));
  return deployments.map((deployment) => ({
    deploymentId: deployment.deploymentId,
    version: deployment.version,
    at: Date.parse(deployment.status === "started" ? deployment.startedAt : deployment.statusAt),
    outcome: outcomeOf(deployment, rolledBack),
  }));
}
