import { z } from "zod";
import { DeploymentSummary, IncidentSummary } from "@drumbeat/store";
import { RegressedDeployment } from "../correlation/regressed.ts";
import { CommitLeadTime, DoraFigures, DoraSummary, FailedDeployment } from "../dora/schemas.ts";

export const DigestServiceRow = z.object({ service: z.string(), figures: DoraFigures });

/**
 * SEAM for the sections still being built: use cases broken and fixed (issue #13). Each lands by adding its section here and
 * in collect.ts and render; until then `pending` names it and the mail says so.
 */
export const PENDING_SECTIONS = ["usecases"] as const;

export const Digest = z.object({
  week: z.string(),
  team: z.string().nullable(),
  range: z.object({ from: z.string(), to: z.string() }),
  environment: z.string(),
  summary: DoraSummary,
  /** Per day of the week (Monday first): successful deployments, all finished ones (rollbacks included) and the failed among them. */
  days: z.array(z.object({ start: z.string(), deployments: z.number(), total: z.number(), failed: z.number() })),
  services: z.array(DigestServiceRow),
  failures: z.array(FailedDeployment),
  rollbacks: z.array(DeploymentSummary),
  incidents: z.array(IncidentSummary),
  slowestLeadTimes: z.array(CommitLeadTime),
  /** Deployments of the week whose stored impact regressed a metric (docs/metrics.md), newest first. */
  regressions: z.array(RegressedDeployment),
  pending: z.array(z.enum(PENDING_SECTIONS)),
});
export type Digest = z.infer<typeof Digest>;
