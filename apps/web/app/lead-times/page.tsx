import type { Metadata } from "next";
import { Link } from "../../components/Link.tsx";
import { ListTable } from "../../components/ListTable.tsx";
import { ScopedPage } from "../../components/ScopedPage.tsx";
import { Timestamp } from "../../components/Timestamp.tsx";
import { doraLeadTimes } from "../../lib/api.ts";
import { formatSeconds } from "../../lib/figures.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Lead times" };

export default function LeadTimesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const now = new Date().toISOString();
  return (
    <ScopedPage
      path="/lead-times"
      title="Slowest changes"
      intro="Commits first deployed in the range, slowest from authored to running first; the outliers behind the lead time."
      searchParams={searchParams}
      load={(query) => doraLeadTimes(query)}
      render={({ commits }) => (
        <ListTable
          rows={commits}
          testId="lead-times-table"
          rowKey={(commit) => `${commit.service}/${commit.sha}`}
          rowAttributes={() => ({ "data-testid": "lead-time-row" })}
          empty={{
            title: "No commits reached this environment in the range",
            body: "Lead time needs deployments that carry their commits (or push events that name them).",
          }}
          columns={[
            { header: "Commit", cell: (commit) => <span className="mono">{commit.sha.slice(0, 7)}</span> },
            { header: "Service", cell: (commit) => commit.service },
            { header: "Authored", cell: (commit) => <Timestamp iso={commit.authoredAt} now={now} /> },
            { header: "Deployment", cell: (commit) => <Link href={`/deployments/${encodeURIComponent(commit.deploymentId)}`} className="mono">{commit.deploymentId}</Link> },
            { header: "Lead time", numeric: true, cell: (commit) => formatSeconds(commit.leadSeconds) },
          ]}
        />
      )}
    />
  );
}
