import type { Metadata } from "next";
import Link from "next/link";
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
      render={({ commits }) =>
        commits.length === 0 ? (
          <div className="state" data-testid="empty-state">
            <h2>No commits reached this environment in the range</h2>
            <p>Lead time needs deployments that carry their commits (or push events that name them).</p>
          </div>
        ) : (
          <div className="card table-scroll">
            <table className="table" data-testid="lead-times-table">
              <thead>
                <tr>
                  <th>Commit</th>
                  <th>Service</th>
                  <th>Authored</th>
                  <th>Deployment</th>
                  <th className="num">Lead time</th>
                </tr>
              </thead>
              <tbody>
                {commits.map((commit) => (
                  <tr key={`${commit.service}/${commit.sha}`} data-testid="lead-time-row">
                    <td className="mono">{commit.sha.slice(0, 7)}</td>
                    <td>{commit.service}</td>
                    <td><Timestamp iso={commit.authoredAt} now={now} /></td>
                    <td className="mono"><Link href={`/deployments/${encodeURIComponent(commit.deploymentId)}`}>{commit.deploymentId}</Link></td>
                    <td className="num">{formatSeconds(commit.leadSeconds)}</td>
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
