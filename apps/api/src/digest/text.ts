import type { Digest } from "@drumbeat/analysis";
import { brokenBy, keyFigures, links, regressedMetrics, subjectOf } from "./content.ts";
import { day, duration, time } from "./format.ts";

/** The plain-text part: the same content as the HTML, for clients that show only text. */
export function renderText(digest: Digest, dashboardUrl: string): string {
  const link = links(dashboardUrl);
  const lines: string[] = [subjectOf(digest), `${day(digest.range.from)} to ${day(new Date(Date.parse(digest.range.to) - 1).toISOString())}, ${digest.environment}`, ""];
  for (const figure of keyFigures(digest)) {
    lines.push(`${figure.name}: ${figure.value}${figure.level ? ` [${figure.level}]` : ""}${figure.change ? `, ${figure.change}` : ""}`);
  }
  lines.push("", "Finished deployments per day (rollbacks included):");
  for (const d of digest.days) lines.push(`  ${day(d.start)}: ${d.total}${d.failed ? ` (${d.failed} failed)` : ""}`);
  const section = (title: string, rows: string[]) => lines.push("", `${title}:`, ...(rows.length ? rows : ["  none"]));
  section("Deployments per service", digest.services.map((s) =>
    `  ${s.service}: ${s.figures.deploymentFrequency.count} deployments, ${s.figures.changeFailureRate.failed} failed, ${s.figures.deploymentFrequency.rollbacks} rollbacks  ${link.service(s.service)}`));
  section("Failed deployments", digest.failures.map((f) =>
    `  ${f.service} ${f.deploymentId} (${time(f.deployedAt)}): ${f.reasons.join(", ")}; ${f.recoveredBy ? `recovered by ${f.recoveredBy} in ${duration(f.recoverySeconds)}` : "not recovered"}  ${link.deployment(f.deploymentId)}`));
  section("Rollbacks", digest.rollbacks.map((r) => `  ${r.service} ${r.deploymentId} rolled back ${r.rollsBack || "a deployment"} (${time(r.statusAt)})  ${link.deployment(r.deploymentId)}`));
  section("Incidents", digest.incidents.map((i) =>
    `  ${i.service} ${i.incidentId}${i.severity ? ` ${i.severity}` : ""}: ${i.title || "untitled"} (opened ${time(i.openedAt)}${i.resolvedAt ? `, resolved ${time(i.resolvedAt)}` : ", open"})${i.causedBy ? `, caused by ${i.causedBy}` : ""}`));
  section("Deployments that regressed a metric", digest.regressions.map((r) =>
    `  ${r.service} ${r.deploymentId} ${r.version} (${time(r.startedAt)}): ${regressedMetrics(r)}  ${link.deployment(r.deploymentId)}`));
  section("Use cases broken", digest.brokenUsecases.map((u) =>
    `  ${u.service} ${u.suite ? `${u.suite} > ` : ""}${u.usecase} (since ${u.brokenSince ? time(u.brokenSince) : "?"}): broken by ${brokenBy(u)}  ${link.deployment(u.breaking.deploymentId)}`));
  section("Slowest lead times", digest.slowestLeadTimes.map((c) => `  ${c.service} ${c.sha.slice(0, 10)}: ${duration(c.leadSeconds)}  ${link.deployment(c.deploymentId)}`));
  lines.push("", `Dashboard: ${link.home}`);
  return lines.join("\n") + "\n";
}
