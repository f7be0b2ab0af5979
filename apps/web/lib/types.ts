import type { paths } from "./api-schema.ts";

/**
 * The shapes of the API answers the dashboard reads, taken from lib/api-schema.ts (generated
 * from the API's OpenAPI document by scripts/apiTypes.ts), never written by hand.
 */
type JsonOf<Response> = Response extends { content: { "application/json": infer Body } } ? Body : never;
type GetResponse<Path extends keyof paths> = paths[Path] extends { get: { responses: { 200: infer Ok } } } ? JsonOf<Ok> : never;

export type DeploymentPage = GetResponse<"/api/v1/deployments">;
export type DeploymentSummary = DeploymentPage["deployments"][number];
export type DeploymentStatusName = DeploymentSummary["status"];
export type DeploymentDetail = GetResponse<"/api/v1/deployments/{deploymentId}">;
export type DeploymentLifecycleEvent = DeploymentDetail["events"][number];
export type DeploymentCommit = DeploymentDetail["commits"][number];

export type ServiceCatalog = GetResponse<"/api/v1/services">;
export type IncidentList = GetResponse<"/api/v1/incidents">;
export type IncidentSummary = IncidentList["incidents"][number];

type DoraAnswer = GetResponse<"/api/v1/dora">;
export type DoraSummary = Extract<DoraAnswer, { previous: unknown }>;
export type DoraGroups = Extract<DoraAnswer, { groups: unknown }>;
export type DoraFigures = Omit<DoraSummary["previous"], "range">;
export type DoraThresholds = DoraSummary["thresholds"];
export type DoraLevel = NonNullable<DoraFigures["changeFailureRate"]["level"]>;
export type DoraTimeseries = GetResponse<"/api/v1/dora/timeseries">;
export type DoraFailures = GetResponse<"/api/v1/dora/failures">;
export type DoraLeadTimes = GetResponse<"/api/v1/dora/lead-times">;

export type UsecaseList = GetResponse<"/api/v1/usecases">;
export type UsecaseState = UsecaseList["usecases"][number];
export type UsecaseMatrix = GetResponse<"/api/v1/usecases/matrix">;
export type UsecaseHistory = GetResponse<"/api/v1/usecases/{usecase}/history">;
export type UsecaseBreak = UsecaseHistory["breaks"][number];
export type SuspectCommit = UsecaseBreak["suspects"][number];
export type DeploymentImpact = GetResponse<"/api/v1/deployments/{deploymentId}/impact">;
export type MetricComparison = DeploymentImpact["beforeAfter"]["metrics"][number];
export type MetricSeries = GetResponse<"/api/v1/metrics/series">;
export type MetricCatalog = GetResponse<"/api/v1/metrics">;

export type BatchInsights = GetResponse<"/api/v1/insights/batch-size">;
export type BatchBucket = BatchInsights["buckets"][number];
export type Proportion = BatchBucket["changeFailureRate"];
export type ReleaseWindow = GetResponse<"/api/v1/insights/release-window">;
export type ReleaseWindowCell = ReleaseWindow["cells"][number];
export type PromotionInsights = GetResponse<"/api/v1/insights/promotion">;
export type StrategyInsights = GetResponse<"/api/v1/insights/strategies">;
