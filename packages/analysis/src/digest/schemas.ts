import { z } from "zod";
import { DeploymentSummary, IncidentSummary } from "@drumbeat/store";
import { RegressedDeployment } from "../correlation/regressed.ts";
import { CommitLeadTime, DoraFigures, DoraSummary, FailedDeployment } from "../dora/schemas.ts";
import { DeploymentRef, SuspectCommit } from "../usecases/schemas.ts";

export const DigestServiceRow = z.object({ service: z.string(), figures: DoraFigures });

/** A use case broken when the digest is made, by the rules of the use-case pages (docs/usecases.md). */
export const BrokenUsecase = z.object({
  service: z.string(),
  usecase: z.string(),
  suite: z.string(),
  brokenSince: z.string().nullable(),
  breaking: DeploymentRef,
  /** The commit, when the breaking deployment carried exactly one. */
  culprit: SuspectCommit.nullable(),
  suspects: z.number().int(),
});
export type BrokenUsecase = z.infer<typeof BrokenUsecase>;

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
  /**
   * Use cases of the week's services broken when the digest is made (not flaky, not failing
   * since their first run), each with the deployment that broke it; longest broken first.
   */
  brokenUsecases: z.array(BrokenUsecase),
});
export type Digest = z.infer<typeof Digest>;
