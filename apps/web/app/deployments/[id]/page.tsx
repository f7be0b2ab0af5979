import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CommitList } from "../../../components/CommitList.tsx";
import { DeploymentFacts } from "../../../components/DeploymentFacts.tsx";
import { LifecycleTimeline } from "../../../components/LifecycleTimeline.tsx";
import { KindBadge, StatusBadge } from "../../../components/StatusBadge.tsx";
import { ErrorState } from "../../../components/States.tsx";
import { ApiError, getDeployment } from "../../../lib/api.ts";

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

  let deployment;
  try {
    deployment = await getDeployment(deploymentId);
  } catch (error) {
    if (error instanceof ApiError && error.failure === "not_found") notFound();
    if (!(error instanceof ApiError)) throw error;
    return <ErrorState error={error} retryHref={`/deployments/${encodeURIComponent(deploymentId)}`} />;
  }

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
    </>
  );
}
