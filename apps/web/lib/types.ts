import type { DeploymentStatus } from "@drumbeat/events";

/** The shapes of the API answers the dashboard reads (apps/api/src/routes, packages/store/src/queries). */
export type DeploymentStatusName = (typeof DeploymentStatus)["options"][number];

export interface DeploymentSummary {
  deploymentId: string;
  service: string;
  environment: string;
  team: string;
  version: string;
  artifact: string;
  status: DeploymentStatusName;
  statusAt: string;
  startedAt: string;
  strategy: string;
  kind: string;
  rollsBack: string;
  url: string;
  actor: string;
  source: string;
}

export interface DeploymentPage {
  deployments: DeploymentSummary[];
  nextCursor: string | null;
}

export interface DeploymentLifecycleEvent {
  eventId: string;
  occurredAt: string;
  status: DeploymentStatusName;
  version: string;
  strategy: string;
  canaryWeight: number | null;
  actor: string;
  url: string;
  source: string;
}

export interface DeploymentCommit {
  sha: string;
  authoredAt: string;
  committedAt: string | null;
  author: string;
  message: string;
}

export interface DeploymentDetail extends DeploymentSummary {
  events: DeploymentLifecycleEvent[];
  commits: DeploymentCommit[];
}

export interface ServiceEntry {
  service: string;
  teams: string[];
  environments: string[];
  lastEventAt: string;
  events: number;
}

export interface ServiceCatalog {
  services: ServiceEntry[];
  teams: string[];
  environments: string[];
}
