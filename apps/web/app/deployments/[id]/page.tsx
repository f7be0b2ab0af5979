import type { Metadata } from "next";
import { Link } from "../../../components/Link.tsx";
import { notFound } from "next/navigation";
import { CommitList } from "../../../components/CommitList.tsx";
import { DeploymentFacts } from "../../../components/DeploymentFacts.tsx";
import { LifecycleTimeline } from "../../../components/LifecycleTimeline.tsx";
import { KindBadge, StatusBadge } from "../../../components/StatusBadge.tsx";
import { ImpactSection } from "../../../components/ImpactSection.tsx";
import { UsecaseChanges } from "../../../components/UsecaseChanges.tsx";
import { ApiError, deploymentImpact, getDeployment } from "../../../lib/api.ts";
import { readOrError } from "../../../components/readOrError.tsx";

export const dynamic = "force-dynamic";

interface Props {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Deployment ${decodeURIComponent((await params).id)}` };
}

export default async function DeploymentPage({ params }: Props) {
  const deploymentId = decodeURIComponent((await params).id);
  const now = new Date().toISOString();

  const deploymentOrNotFound = getDeployment(deploymentId).catch((error: unknown) => {
    if (error instanceof ApiError && error.failure === "not_found") notFound();
    throw error;
  });
  const read = await readOrError(
    Promise.all([deploymentOrNotFound, deploymentImpact(deploymentId).catch(() => null)]),
    `/deployments/${encodeURIComponent(deploymentId)}`,
  );
  if (read.failed) return read.failed;
  const [deployment, impact] = read.data;

  return (
    <>
      <nav className="breadcrumb">
        <Link href="/deployments">Deployments</Link> <span aria-hidden>/</span>{" "}
        <Link href={`/deployments?service=${encodeURIComponent(deployment.service)}`}>{deployment.service}</Link>
      </nav>
      <div className="page-header detail-header">
        <h1>
          {deployment.service} <span className="muted">→</span> {deployment.environment}
        </h1>
        <div className="detail-badges">
          <StatusBadge status={deployment.status} />
          <KindBadge kind={deployment.kind} />
        </div>
      </div>
      <DeploymentFacts deployment={deployment} now={now} />
      {deployment.rollsBack && (
        <p className="small" data-testid="rolls-back">
          Rolls back <Link href={`/deployments/${encodeURIComponent(deployment.rollsBack)}`} className="mono">{deployment.rollsBack}</Link>
        </p>
      )}
      <div className="detail-grid">
        <section className="card section" aria-labelledby="timeline-heading">
          <h2 id="timeline-heading">Lifecycle</h2>
          <LifecycleTimeline events={deployment.events} now={now} />
        </section>
        <section className="card section" aria-labelledby="commits-heading">
          <h2 id="commits-heading">
            Commits <span className="count">{deployment.commits.length}</span>
          </h2>
          <CommitList commits={deployment.commits} now={now} />
        </section>
      </div>
      <UsecaseChanges changes={deployment.usecases} service={deployment.service} environment={deployment.environment} />
      {impact ? <ImpactSection impact={impact} /> : (
        <section className="card section" data-testid="impact-empty">
          <h2>Metric impact</h2>
          <p className="muted">No metric verdict for this deployment: send {deployment.service}’s metrics over OTLP to <code>/v1/metrics</code> (docs/metrics.md).</p>
        </section>
      )}
    </>
  );
}
