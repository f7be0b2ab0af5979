export * from "./settings.ts";
export { mannWhitney, hodgesLehmann, medianOf, normalCdf, type RankTest } from "./statistics.ts";
export { MetricComparison, MetricVerdict, DeploymentVerdict, compareSamples, overallVerdict } from "./compare.ts";
export { GateVerdict, scoreComparisons } from "./gate.ts";
export { gateOf } from "./verdict.ts";
export { DeploymentImpact, computeImpact, impactOf } from "./impact.ts";
export { ImpactRefresher } from "./refresh.ts";
export { Suspect, SuspectEvidence, findSuspects } from "./suspects.ts";
export { RegressedDeployment, regressedDeployments } from "./regressed.ts";
