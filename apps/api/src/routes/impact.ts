import express from "express";
import { z } from "zod";
import { DeploymentImpact, GateVerdict, Suspect, findSuspects, gateOf, impactOf, type CorrelationSettings } from "@drumbeat/analysis";
import { tokenScopes, type Store } from "@drumbeat/store";
import { HttpError } from "../errors.ts";
import type { AuthSettings } from "../http/auth.ts";
import type { ApiRouter } from "../http/route.ts";

export const GetDeploymentVerdictV1Response = GateVerdict.extend({ deploymentId: z.string(), comparison: z.string() });
export const GetDeploymentVerdictByVersionV1Query = z.strictObject({
  service: z.string().min(1).max(200),
  environment: z.string().min(1).max(200),
  version: z.string().min(1).max(200).optional().describe("omitted: the service's latest deployment"),
});
/** Flagger's webhook payload; the Canary's webhook `metadata` names the service (and the token when auth is on). */
export const PostFlaggerVerdictV1Body = z.object({
  name: z.string().optional(),
  namespace: z.string().optional(),
  phase: z.string().optional(),
  metadata: z.object({
    service: z.string().min(1).max(200),
    environment: z.string().min(1).max(200),
    version: z.string().min(1).max(200).optional(),
    token: z.string().optional(),
  }),
});
export const GetSuspectsV1Query = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  service: z.string().max(200).optional(),
  environment: z.string().max(200).optional(),
}).refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ["to"], message: "must be after from" })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 92 * 86_400_000, { path: ["to"], message: "at most 92 days" });
export const GetSuspectsV1Response = z.object({ suspects: z.array(Suspect) });

const DeploymentParams = z.object({ deploymentId: z.string().min(1).max(200) });

type VersionKey = z.infer<typeof GetDeploymentVerdictByVersionV1Query>;

/** The latest deployment of a version (or of the service), as a progressive-delivery controller names it. */
async function deploymentOfVersion(store: Store, key: VersionKey): Promise<string | undefined> {
  const [row] = await store.query({
    name: "impact.deploymentOfVersion",
    sql: `SELECT deployment_id AS deploymentId FROM deployments FINAL
      WHERE environment = {environment:String} AND service = {service:String}
        AND ({version:String} = '' OR version = {version:String})
      ORDER BY status_at DESC LIMIT 1`,
    params: { ...key, version: key.version ?? "" },
    rows: z.object({ deploymentId: z.string() }),
  });
  return row?.deploymentId;
}

export interface ImpactSettings {
  correlation: CorrelationSettings;
  productionEnvironment: string;
  incidentWindowHours: number;
}

/**
 * Deployment impact (docs/metrics.md): before/after and canary comparisons, the deploy
 * gate for Argo Rollouts and Flagger, and the suspects of a range. Defined before the
 * deployment routes so `/deployments/suspects` is not taken for a deployment id.
 */
export function impactRoutes(api: ApiRouter, store: Store, settings: ImpactSettings) {
  const impact = async (deploymentId: string) => {
    const result = await impactOf(store, deploymentId, settings.correlation);
    if (!result) throw new HttpError(404, "not_found", `no deployment '${deploymentId}'`);
    return result;
  };

  api.define({
    method: "get",
    path: "/api/v1/deployments/suspects",
    summary: "Deployments that regressed a metric or were followed by an incident of their service, most suspicious first",
    tags: ["deployments", "metrics"],
    scope: "read",
    query: GetSuspectsV1Query,
    response: GetSuspectsV1Response,
    handler: async ({ query }) => ({
      suspects: await findSuspects(store, {
        environment: query.environment ?? settings.productionEnvironment, service: query.service,
        from: query.from, to: query.to, incidentWindowHours: settings.incidentWindowHours,
      }, settings.correlation),
    }),
  });

  /** The deploy gate of a deployment named by its id, or by what a controller knows (its service, environment and version). */
  const gate = async (target: { deploymentId: string } | VersionKey) => {
    const deploymentId = "deploymentId" in target ? target.deploymentId : await deploymentOfVersion(store, target);
    if (!deploymentId) {
      const key = target as VersionKey;
      throw new HttpError(404, "not_found", `no deployment of ${key.service} ${key.version ?? ""} in ${key.environment}`);
    }
    return gateOf(await impact(deploymentId), settings.correlation);
  };

  api.define({
    method: "post",
    path: "/api/v1/deployments/verdict/flagger",
    summary: "Deploy gate as a Flagger webhook: 200 when the gate passes, 412 with the verdict otherwise",
    tags: ["deployments", "metrics"],
    // Flagger sends no headers: the token travels in the webhook's metadata
    scope: "public",
    before: [express.json({ limit: "64kb" })],
    body: PostFlaggerVerdictV1Body,
    response: GetDeploymentVerdictV1Response,
    handler: async ({ body, req }) => {
      const { token, ...key } = body.metadata;
      const auth = req.app.locals.auth as AuthSettings;
      if (auth.enabled) {
        const scopes = token ? await tokenScopes(store, token) : undefined;
        if (!scopes || !(scopes.includes("read") || scopes.includes("admin"))) {
          throw new HttpError(401, "unauthorized", "put a token with the 'read' scope in the webhook's metadata.token");
        }
      }
      const verdict = await gate(key);
      if (!verdict.ok) throw new HttpError(412, "gate_not_passed", `${verdict.verdict}: ${verdict.reasons.join("; ")}`, { ...verdict });
      return verdict;
    },
  });

  api.define({
    method: "get",
    path: "/api/v1/deployments/verdict",
    summary: "Deploy gate by service, environment and version (the latest deployment of that version)",
    tags: ["deployments", "metrics"],
    scope: "read",
    query: GetDeploymentVerdictByVersionV1Query,
    response: GetDeploymentVerdictV1Response,
    handler: ({ query }) => gate(query),
  });

  api.define({
    method: "get",
    path: "/api/v1/deployments/:deploymentId/impact",
    summary: "What a deployment did to its service's metrics: before/after, and canary against baseline per step",
    tags: ["deployments", "metrics"],
    scope: "read",
    params: DeploymentParams,
    response: DeploymentImpact,
    handler: ({ params }) => impact(params.deploymentId),
  });

  api.define({
    method: "get",
    path: "/api/v1/deployments/:deploymentId/verdict",
    summary: "Deploy gate: ok, score 0-100 and pass | marginal | fail | inconclusive, for Argo Rollouts and Flagger",
    tags: ["deployments", "metrics"],
    scope: "read",
    params: DeploymentParams,
    response: GetDeploymentVerdictV1Response,
    handler: ({ params }) => gate(params),
  });
}
