import type { Metadata } from "next";
import Link from "next/link";
import { ScopedPage } from "../../components/ScopedPage.tsx";
import { Timestamp } from "../../components/Timestamp.tsx";
import { listIncidents } from "../../lib/api.ts";
import { formatSeconds } from "../../lib/figures.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Incidents" };

export default function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const now = new Date().toISOString();
  return (
    <ScopedPage
      path="/incidents"
      title="Incidents"
      intro="Incidents opened in the range, newest first, with the deployment named as their cause and the time to restore."
      searchParams={searchParams}
      environmentDefault="All"
      load={(query) => listIncidents(query)}
      render={({ incidents }) =>
        incidents.length === 0 ? (
          <div className="state" data-testid="empty-state">
            <h2>No incidents in this range</h2>
            <p>Connect PagerDuty, Opsgenie or Sentry (docs/integrations.md), or POST an <code>incident</code> event to <code>/api/v1/events</code>.</p>
          </div>
        ) : (
          <div className="card table-scroll">
            <table className="table" data-testid="incidents-table">
              <thead>
                <tr>
                  <th>Incident</th>
                  <th>Service</th>
                  <th>Severity</th>
                  <th>Opened</th>
                  <th>Caused by</th>
                  <th className="num">Time to restore</th>
                </tr>
              </thead>
              <tbody>
                {incidents.map((incident) => (
                  <tr key={`${incident.service}/${incident.incidentId}`} data-testid="incident-row" data-incident={incident.incidentId}>
                    <td>
                      <div className="strong">{incident.url ? <a href={incident.url} rel="noreferrer">{incident.title || incident.incidentId}</a> : incident.title || incident.incidentId}</div>
                      <div className="mono small muted">{incident.incidentId}</div>
                    </td>
                    <td>{incident.service}<div className="small muted">{incident.environment}</div></td>
                    <td>{incident.severity || "–"}</td>
                    <td><Timestamp iso={incident.openedAt} now={now} /></td>
                    <td className="mono">
                      {incident.causedBy ? <Link href={`/deployments/${encodeURIComponent(incident.causedBy)}`}>{incident.causedBy}</Link> : <span className="muted">–</span>}
                    </td>
                    <td className="num" data-testid="time-to-restore">
                      {incident.resolvedAt ? formatSeconds((Date.parse(incident.resolvedAt) - Date.parse(incident.openedAt)) / 1000) : <span className="badge badge-failed">open</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    />
  );
}
