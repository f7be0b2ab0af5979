import { z } from "zod";
import { DeploymentUsecases, deploymentUsecases, type UsecaseSettings } from "@drumbeat/analysis";
import {
  DeploymentCommitRow, DeploymentLifecycleEvent, DeploymentListItem, DeploymentListQuery, DeploymentSummary,
  InvalidCursorError, getDeployment, listDeployments, type Store,
} from "@drumbeat/store";
import { HttpError } from "../errors.ts";
import type { ApiRouter } from "../http/route.ts";

export const GetDeploymentsV1Response = z.object({ deployments: z.array(DeploymentListItem), nextCursor: z.string().nullable() });
export const GetDeploymentV1Response = DeploymentSummary.extend({
  events: z.array(DeploymentLifecycleEvent),
  commits: z.array(DeploymentCommitRow),
  usecases: DeploymentUsecases.describe("the use cases this deployment broke and fixed (docs/usecases.md)"),
});

export function deploymentRoutes(api: ApiRouter, store: Store, usecaseSettings: UsecaseSettings) {
  api.define({
    method: "get",
    path: "/api/v1/deployments",
    summary: "Deployments, newest first, one row per deployment with its current status",
    tags: ["deployments"],
    scope: "read",
    query: DeploymentListQuery.strict(),
    response: GetDeploymentsV1Response,
    handler: async ({ query }) => {
      try {
        return await listDeployments(store, query);
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new HttpError(400, "invalid_cursor", error.message);
        throw error;
      }
    },
  });

  api.define({
    method: "get",
    path: "/api/v1/deployments/:deploymentId",
    summary: "One deployment with its lifecycle events, commits, and the use cases it broke and fixed",
    tags: ["deployments"],
    scope: "read",
    params: z.object({ deploymentId: z.string().min(1).max(200) }),
    response: GetDeploymentV1Response,
    handler: async ({ params }) => {
      const deployment = await getDeployment(store, params.deploymentId);
      if (!deployment) throw new HttpError(404, "not_found", `no deployment '${params.deploymentId}'`);
      const scope = { service: deployment.service, environment: deployment.environment };
      return { ...deployment, usecases: await deploymentUsecases(store, scope, deployment, usecaseSettings) };
    },
  });
}
