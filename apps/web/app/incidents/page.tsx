import type { Metadata } from "next";
import { Link } from "../../components/Link.tsx";
import { ListTable } from "../../components/ListTable.tsx";
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
      render={({ incidents }) => (
        <ListTable
          rows={incidents}
          testId="incidents-table"
          rowKey={(incident) => `${incident.service}/${incident.incidentId}`}
          rowAttributes={(incident) => ({ "data-testid": "incident-row", "data-incident": incident.incidentId })}
          empty={{
            title: "No incidents in this range",
            body: <>Connect PagerDuty, Opsgenie or Sentry (docs/integrations.md), or POST an <code>incident</code> event to <code>/api/v1/events</code>.</>,
          }}
          columns={[
            {
              header: "Incident",
              cell: (incident) => (
                <>
                  <div className="strong">{incident.url ? <a href={incident.url} rel="noreferrer">{incident.title || incident.incidentId}</a> : incident.title || incident.incidentId}</div>
                  <div className="mono small muted">{incident.incidentId}</div>
                </>
              ),
            },
            { header: "Service", cell: (incident) => <>{incident.service}<div className="small muted">{incident.environment}</div></> },
            { header: "Severity", cell: (incident) => incident.severity || "–" },
            { header: "Opened", cell: (incident) => <Timestamp iso={incident.openedAt} now={now} /> },
            {
              header: "Caused by",
              cell: (incident) => (incident.causedBy ? <Link href={`/deployments/${encodeURIComponent(incident.causedBy)}`} className="mono">{incident.causedBy}</Link> : <span className="muted">–</span>),
            },
            {
              header: "Time to restore",
              numeric: true,
              cell: (incident) => (
                <span data-testid="time-to-restore">
                  {incident.resolvedAt ? formatSeconds((Date.parse(incident.resolvedAt) - Date.parse(incident.openedAt)) / 1000) : <span className="badge badge-failed">open</span>}
                </span>
              ),
            },
          ]}
        />
      )}
    />
  );
}
