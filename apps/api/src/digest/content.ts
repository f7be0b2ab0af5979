import type { Digest } from "@drumbeat/analysis";
import { change, count, duration, percent } from "./format.ts";

/** The key figures of a digest, in order, shared by both parts of the mail. */
export function keyFigures(digest: Digest) {
  const { summary: now } = digest;
  const before = now.previous;
  return [
    {
      name: "Deployment frequency",
      value: `${now.deploymentFrequency.count} deployed (${now.deploymentFrequency.perDay.toFixed(2)}/day), ${count(now.deploymentFrequency.rollbacks, "rollback")}`,
      change: change(now.deploymentFrequency.count, before.deploymentFrequency.count, "count"),
      level: now.deploymentFrequency.level,
    },
    {
      name: "Lead time for changes",
      value: `median ${duration(now.leadTime.medianSeconds)} over ${count(now.leadTime.commits, "commit")}`,
      change: change(now.leadTime.medianSeconds, before.leadTime.medianSeconds, "duration"),
      level: now.leadTime.level,
    },
    {
      name: "Change failure rate",
      value: `${percent(now.changeFailureRate.rate)} (${now.changeFailureRate.failed} of ${now.changeFailureRate.total})`,
      change: change(now.changeFailureRate.rate, before.changeFailureRate.rate, "percent"),
      level: now.changeFailureRate.level,
    },
    {
      name: "Failed deployment recovery time",
      value: `median ${duration(now.recoveryTime.medianSeconds)}${now.recoveryTime.unrecovered ? `, ${now.recoveryTime.unrecovered} not recovered` : ""}`,
      change: change(now.recoveryTime.medianSeconds, before.recoveryTime.medianSeconds, "duration"),
      level: now.recoveryTime.level,
    },
    {
      name: "Rework rate",
      value: `${percent(now.reworkRate.rate)} (${now.reworkRate.rework} of ${now.reworkRate.total} were rollbacks or hotfixes)`,
      change: change(now.reworkRate.rate, before.reworkRate.rate, "percent"),
      level: null,
    },
  ];
}

export function subjectOf(digest: Digest): string {
  const { deploymentFrequency, changeFailureRate } = digest.summary;
  return `Drumbeat weekly digest ${digest.week}${digest.team ? ` (${digest.team})` : ""}: ${count(deploymentFrequency.count, "deployment")}, change failure rate ${percent(changeFailureRate.rate)}`;
}

/** Who broke a use case, e.g. "checkout-7 (v42), commit abc1234def by ana" or "checkout-7 (v42), 5 suspect commits". */
export function brokenBy(broken: Digest["brokenUsecases"][number]): string {
  const { breaking, culprit, suspects } = broken;
  const blame = culprit ? `commit ${culprit.sha.slice(0, 10)}${culprit.author ? ` by ${culprit.author}` : ""}` : `${suspects} suspect commit${suspects === 1 ? "" : "s"}`;
  return `${breaking.deploymentId} (${breaking.version}), ${blame}`;
}

/** A regressed deployment's metrics, e.g. "http.errors +200%, http.latency (canary) +12%". */
export function regressedMetrics(deployment: Digest["regressions"][number]): string {
  return deployment.metrics.map((m) => `${m.metric}${m.comparison === "canary" ? " (canary)" : ""}`
    + (m.relativeChange === null ? "" : ` ${m.relativeChange >= 0 ? "+" : ""}${Math.round(m.relativeChange * 100)}%`)).join(", ");
}

/** Links into the dashboard for each item. */
export function links(dashboardUrl: string) {
  const base = dashboardUrl.replace(/\/+$/, "");
  return {
    deployment: (id: string) => `${base}/deployments/${encodeURIComponent(id)}`,
    service: (service: string) => `${base}/deployments?service=${encodeURIComponent(service)}`,
    home: base,
  };
}
