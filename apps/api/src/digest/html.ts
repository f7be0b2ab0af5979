import type { Digest } from "@drumbeat/analysis";
import { brokenBy, keyFigures, links, regressedMetrics, subjectOf } from "./content.ts";
import { day, duration, escapeHtml as e, time } from "./format.ts";

/**
 * The HTML part, written for mail clients: tables and inline styles only, no external
 * image, font, stylesheet or script; the daily chart is table cells of fixed heights.
 */
const FONT = "font-family:Arial,Helvetica,sans-serif;";
const LEVEL_COLOURS: Record<string, string> = { elite: "#1b7f3b", high: "#2f6fb3", medium: "#b7791f", low: "#c0392b" };
const cell = `style="${FONT}font-size:13px;color:#222;padding:6px 8px;border-bottom:1px solid #e5e5e5;text-align:left;vertical-align:top"`;
const head = `style="${FONT}font-size:12px;color:#666;padding:6px 8px;border-bottom:2px solid #ccc;text-align:left"`;

const a = (href: string, text: string) => `<a href="${e(href)}" style="color:#2f6fb3;text-decoration:none">${e(text)}</a>`;

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return `<p style="${FONT}font-size:13px;color:#666;margin:4px 0 0">None this week.</p>`;
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse">`
    + `<tr>${headers.map((h) => `<th ${head}>${e(h)}</th>`).join("")}</tr>`
    + rows.map((r) => `<tr>${r.map((c) => `<td ${cell}>${c}</td>`).join("")}</tr>`).join("")
    + `</table>`;
}

function section(title: string, body: string): string {
  return `<tr><td style="padding:20px 24px 0"><h2 style="${FONT}font-size:16px;color:#111;margin:0 0 8px">${e(title)}</h2>${body}</td></tr>`;
}

function levelBadge(level: string | null): string {
  if (!level) return "";
  return `<span style="${FONT}font-size:11px;font-weight:bold;color:#fff;background:${LEVEL_COLOURS[level]};border-radius:3px;padding:2px 6px">${e(level)}</span>`;
}

function chart(days: Digest["days"]): string {
  const max = Math.max(1, ...days.map((d) => d.total));
  const bars = days.map((d) => {
    const ok = Math.round(((d.total - d.failed) / max) * 60);
    const bad = Math.round((d.failed / max) * 60);
    return `<td valign="bottom" align="center" style="padding:0 6px;height:80px">`
      + `<div style="${FONT}font-size:11px;color:#444">${d.total}</div>`
      + (bad ? `<div style="width:28px;height:${bad}px;background:#c0392b"></div>` : "")
      + (ok ? `<div style="width:28px;height:${ok}px;background:#2f6fb3"></div>` : "")
      + `</td>`;
  }).join("");
  const labels = days.map((d) => `<td align="center" style="${FONT}font-size:11px;color:#666;padding:4px 6px 0">${e(day(d.start).split(" ")[0]!)}</td>`).join("");
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse"><tr>${bars}</tr><tr>${labels}</tr></table>`
    + `<p style="${FONT}font-size:11px;color:#666;margin:6px 0 0">Finished deployments per day, rollbacks included; red: failed.</p>`;
}

export function renderHtml(digest: Digest, dashboardUrl: string): string {
  const link = links(dashboardUrl);
  const last = new Date(Date.parse(digest.range.to) - 1).toISOString();
  const figures = keyFigures(digest).map((f) => [
    `<strong>${e(f.name)}</strong>`, e(f.value), levelBadge(f.level), `<span style="color:#666">${e(f.change)}</span>`,
  ]);
  const sections = [
    section("The DORA keys", table(["", "This week", "Level", "Change"], figures)),
    section("Deployments per day", chart(digest.days)),
    section("Deployments per service", table(["Service", "Deployments", "Failed", "Rollbacks", "Change failure rate"], digest.services.map((s) => [
      a(link.service(s.service), s.service), String(s.figures.deploymentFrequency.count), String(s.figures.changeFailureRate.failed),
      String(s.figures.deploymentFrequency.rollbacks), e(s.figures.changeFailureRate.rate === null ? "n/a" : `${Math.round(s.figures.changeFailureRate.rate * 100)}%`),
    ]))),
    section("Failed deployments", table(["Deployment", "When", "Why", "Recovery"], digest.failures.map((f) => [
      `${a(link.deployment(f.deploymentId), f.deploymentId)}<br><span style="color:#666">${e(f.service)}</span>`, e(time(f.deployedAt)),
      e(f.reasons.join(", ")), f.recoveredBy ? e(`${f.recoveredBy}, ${duration(f.recoverySeconds)}`) : `<span style="color:#c0392b">not recovered</span>`,
    ]))),
    section("Rollbacks", table(["Rollback", "Service", "Rolled back", "When"], digest.rollbacks.map((r) => [
      a(link.deployment(r.deploymentId), r.deploymentId), e(r.service), r.rollsBack ? a(link.deployment(r.rollsBack), r.rollsBack) : "", e(time(r.statusAt)),
    ]))),
    section("Incidents", table(["Incident", "Service", "Opened", "Resolved", "Caused by"], digest.incidents.map((i) => [
      `${e(i.incidentId)}${i.severity ? ` (${e(i.severity)})` : ""}<br><span style="color:#666">${e(i.title)}</span>`, a(link.service(i.service), i.service),
      e(time(i.openedAt)), e(i.resolvedAt ? time(i.resolvedAt) : "open"), i.causedBy ? a(link.deployment(i.causedBy), i.causedBy) : "",
    ]))),
    section("Deployments that regressed a metric", table(["Deployment", "Service", "Started", "Metrics"], digest.regressions.map((r) => [
      a(link.deployment(r.deploymentId), r.deploymentId), e(`${r.service} ${r.version}`), e(time(r.startedAt)), e(regressedMetrics(r)),
    ]))),
    section("Use cases broken", table(["Use case", "Service", "Broken since", "Broken by"], digest.brokenUsecases.map((u) => [
      e(u.suite ? `${u.suite} › ${u.usecase}` : u.usecase), a(link.service(u.service), u.service), e(u.brokenSince ? time(u.brokenSince) : ""),
      a(link.deployment(u.breaking.deploymentId), brokenBy(u)),
    ]))),
    section("Slowest lead times", table(["Commit", "Service", "Lead time"], digest.slowestLeadTimes.map((c) => [
      a(link.deployment(c.deploymentId), c.sha.slice(0, 10)), e(c.service), e(duration(c.leadSeconds)),
    ]))),
  ].join("");
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subjectOf(digest))}</title></head>`
    + `<body style="margin:0;padding:0;background:#f4f4f4">`
    + `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f4"><tr><td align="center" style="padding:16px">`
    + `<table role="presentation" width="640" cellpadding="0" cellspacing="0" style="background:#ffffff;border:1px solid #e0e0e0">`
    + `<tr><td style="background:#1f2a44;padding:16px 24px"><div style="${FONT}font-size:20px;color:#fff;font-weight:bold">Drumbeat weekly digest</div>`
    + `<div style="${FONT}font-size:13px;color:#cfd6e6;margin-top:4px">${e(digest.week)}${digest.team ? ` · team ${e(digest.team)}` : ""} · ${e(day(digest.range.from))} to ${e(day(last))} · ${e(digest.environment)}</div></td></tr>`
    + sections
    + `<tr><td style="padding:20px 24px;${FONT}font-size:12px;color:#888">${a(link.home, "Open the Drumbeat dashboard")}</td></tr>`
    + `</table></td></tr></table></body></html>`;
}

export function renderDigest(digest: Digest, dashboardUrl: string) {
  return { subject: subjectOf(digest), html: renderHtml(digest, dashboardUrl) };
}
