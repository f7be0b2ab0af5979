import type { Metadata } from "next";
import { Link } from "../../components/Link.tsx";
import { ListTable } from "../../components/ListTable.tsx";
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
  metric_regression: "regressed a metric",
  usecase_broken: "broke a use case",
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
      render={({ failures }) => (
        <ListTable
          rows={failures}
          testId="failures-table"
          rowKey={(failure) => failure.deploymentId}
          rowAttributes={(failure) => ({ "data-testid": "failure-row", "data-deployment": failure.deploymentId })}
          empty={{
            title: "No failed deployments in this range",
            body: "A deployment fails when it ends failed or rolled back, is rolled back or hotfixed, or an incident names or follows it.",
          }}
          columns={[
            { header: "Deployment", cell: (failure) => <Link href={`/deployments/${encodeURIComponent(failure.deploymentId)}`} className="mono">{failure.deploymentId}</Link> },
            { header: "Service", cell: (failure) => failure.service },
            { header: "Deployed", cell: (failure) => <Timestamp iso={failure.deployedAt} now={now} /> },
            {
              header: "Why it failed",
              cell: (failure) => (
                <>
                  {failure.reasons.map((reason) => <span key={reason} className="tag reason">{REASONS[reason] ?? reason}</span>)}
                  {failure.evidence.map((item) => (
                    <div key={`${item.kind}-${item.id}`} className="small muted evidence" data-testid="evidence">
                      {item.kind} {item.url ? <a href={item.url} rel="noreferrer">{item.id}</a> : <span className="mono">{item.id}</span>}
                      {item.title && `: ${item.title}`}
                    </div>
                  ))}
                </>
              ),
            },
            { header: "Recovered by", cell: (failure) => (failure.recoveredBy ? RECOVERED_BY[failure.recoveredBy] ?? failure.recoveredBy : <span className="muted">not yet</span>) },
            { header: "Time to recover", numeric: true, cell: (failure) => (failure.recoverySeconds === null ? "–" : formatSeconds(failure.recoverySeconds)) },
          ]}
        />
      )}
    />
  );
}
