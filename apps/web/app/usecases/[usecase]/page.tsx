import type { Metadata } from "next";
import { Link } from "../../../components/Link.tsx";
import { Timestamp } from "../../../components/Timestamp.tsx";
import { UsecaseCell } from "../../../components/UsecaseCell.tsx";
import { usecaseHistory } from "../../../lib/api.ts";
import { formatSeconds } from "../../../lib/figures.ts";
import { firstLine, shortVersion } from "../../../lib/format.ts";
import { readOrError } from "../../../components/readOrError.tsx";

export const dynamic = "force-dynamic";

interface Props {
  params: Promise<{ usecase: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).usecase) };
}

const deploymentLink = (deploymentId: string) => (
  <Link href={`/deployments/${encodeURIComponent(deploymentId)}`} className="mono">{deploymentId}</Link>
);

export default async function UsecaseHistoryPage({ params, searchParams }: Props) {
  const usecase = decodeURIComponent((await params).usecase);
  const query = await searchParams;
  const service = String(query.service ?? "");
  const environment = String(query.environment ?? "");
  const now = new Date().toISOString();
  const back = `/usecases?service=${encodeURIComponent(service)}&environment=${encodeURIComponent(environment)}`;
  const read = await readOrError(usecaseHistory({ service, environment }, usecase), back);
  if (read.failed) return read.failed;
  const history = read.data;
  return (
    <>
      <nav className="breadcrumb"><Link href={back}>Use cases</Link> <span aria-hidden>/</span> {service} → {environment}</nav>
      <div className="page-header">
        <h1>{usecase}</h1>
        <p className="muted">{history.state?.runs ?? 0} deployments ran it{history.unlinkedResults > 0 ? `; ${history.unlinkedResults} results wait for their deployment` : ""}.</p>
      </div>
      <section aria-labelledby="breaks-heading">
        <h2 id="breaks-heading" className="section-title">Breaks</h2>
        {history.breaks.length === 0 ? <p className="muted">Never broken after passing.</p> : (
          <div className="card table-scroll">
            <table className="table" data-testid="breaks-table">
              <thead><tr><th>Broken in</th><th>Commits</th><th>Fixed by</th><th className="num">Broken for</th></tr></thead>
              <tbody>
                {history.breaks.map((brk) => (
                  <tr key={brk.breaking.deploymentId} data-testid="break-row">
                    <td>{deploymentLink(brk.breaking.deploymentId)}<div><Timestamp iso={brk.brokenAt} now={now} /></div></td>
                    <td>
                      {brk.flaky ? <span className="tag tag-flaky">flaky: not blamed</span> : brk.suspects.map((commit) => (
                        <div key={commit.sha} className={brk.culprit ? "culprit" : undefined}>
                          <span className="sha mono">{commit.sha.slice(0, 7)}</span> {firstLine(commit.message)} <span className="muted small">{commit.author}</span>
                        </div>
                      ))}
                    </td>
                    <td>{brk.fixing ? <>{deploymentLink(brk.fixing.deploymentId)}{brk.fixing.kind === "rollback" && <span className="tag tag-rollback">rollback</span>}</> : <span className="badge badge-failed">still broken</span>}</td>
                    <td className="num">{brk.brokenSeconds === null ? "–" : formatSeconds(brk.brokenSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading" className="section-title">
          {history.runs.length < (history.state?.runs ?? 0) ? `The latest ${history.runs.length} runs` : "Runs"}, newest first
        </h2>
        <div className="card table-scroll">
          <table className="table" data-testid="runs-table">
            <thead><tr><th>Deployment</th><th>Version</th><th>Outcome</th><th className="num">Pass / fail / skip</th><th>Error</th></tr></thead>
            <tbody>
              {[...history.runs].reverse().map((run) => (
                <tr key={run.deploymentId}>
                  <td>{deploymentLink(run.deploymentId)}<div><Timestamp iso={run.deployedAt} now={now} /></div></td>
                  <td className="mono">{shortVersion(run.version)}</td>
                  <td><UsecaseCell outcome={run.outcome} /></td>
                  <td className="num">{run.passes} / {run.fails} / {run.skips}</td>
                  <td className="small mono break">{run.error ? firstLine(run.error) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
