import type { Metadata } from "next";
import Link from "next/link";
import { ScopedPage } from "../../components/ScopedPage.tsx";
import { Timestamp } from "../../components/Timestamp.tsx";
import { doraFailures } from "../../lib/api.ts";
import { formatSeconds } from "../../lib/figures.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Change failures" };

/** Each failure reason as docs/dora.md names it. */
const REASONS: Record<string, string> = {
  failed_status: "deployment failed",
  rolled_back_status: "ended rolled back",
  rolled_back_by: "rolled back by a later deployment",
  rolled_back_by_redeploy: "rolled back by redeploying an earlier version",
  followed_by_hotfix: "followed by a hotfix",
  incident_caused_by: "named as the cause of an incident",
  incident_in_window: "incident opened soon after",
};

const RECOVERED_BY: Record<string, string> = {
  deployment: "next good deployment",
  rollback: "rollback",
  incident_resolved: "incident resolved",
  flag_kill: "flag turned off",
};

export default function FailuresPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const now = new Date().toISOString();
  return (
    <ScopedPage
      path="/failures"
      title="Change failures"
      intro="The deployments behind the change failure rate and recovery time, newest first, each with why it counts as failed."
      searchParams={searchParams}
      load={(query) => doraFailures(query)}
      render={({ failures }) =>
        failures.length === 0 ? (
          <div className="state" data-testid="empty-state">
            <h2>No failed deployments in this range</h2>
            <p>A deployment fails when it ends failed or rolled back, is rolled back or hotfixed, or an incident names or follows it.</p>
          </div>
        ) : (
          <div className="card table-scroll">
            <table className="table" data-testid="failures-table">
              <thead>
                <tr>
                  <th>Deployment</th>
                  <th>Service</th>
                  <th>Deployed</th>
                  <th>Why it failed</th>
                  <th>Recovered by</th>
                  <th className="num">Time to recover</th>
                </tr>
              </thead>
              <tbody>
                {failures.map((failure) => (
                  <tr key={failure.deploymentId} data-testid="failure-row" data-deployment={failure.deploymentId}>
                    <td className="mono"><Link href={`/deployments/${encodeURIComponent(failure.deploymentId)}`}>{failure.deploymentId}</Link></td>
                    <td>{failure.service}</td>
                    <td><Timestamp iso={failure.deployedAt} now={now} /></td>
                    <td>
                      {failure.reasons.map((reason) => <span key={reason} className="tag reason">{REASONS[reason] ?? reason}</span>)}
                      {failure.evidence.map((item) => (
                        <div key={`${item.kind}-${item.id}`} className="small muted evidence" data-testid="evidence">
                          {item.kind} {item.url ? <a href={item.url} rel="noreferrer">{item.id}</a> : <span className="mono">{item.id}</span>}
                          {item.title && `: ${item.title}`}
                        </div>
                      ))}
                    </td>
                    <td>{failure.recoveredBy ? RECOVERED_BY[failure.recoveredBy] ?? failure.recoveredBy : <span className="muted">not yet</span>}</td>
                    <td className="num">{failure.recoverySeconds === null ? "–" : formatSeconds(failure.recoverySeconds)}</td>
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
