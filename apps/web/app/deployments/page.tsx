import type { Metadata } from "next";
import { DeploymentTable } from "../../components/DeploymentTable.tsx";
import { DeploymentTimeline } from "../../components/DeploymentTimeline.tsx";
import { FilterBar } from "../../components/FilterBar.tsx";
import { EmptyState } from "../../components/States.tsx";
import { listDeployments, listServices } from "../../lib/api.ts";
import { filtersFrom, filtersQuery, hasFilters } from "../../lib/filters.ts";
import { timelineScopeFrom } from "../../lib/timeline.ts";
import { readOrError } from "../../components/readOrError.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Deployments" };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function DeploymentsPage({ searchParams }: Props) {
  const params = await searchParams;
  const filters = filtersFrom(params);
  const now = new Date().toISOString();

  const read = await readOrError(Promise.all([listServices(), listDeployments(filters)]), `/deployments?${filtersQuery(filters)}`, <PageHeader />);
  if (read.failed) return read.failed;
  const [catalog, firstPage] = read.data;
  return (
    <>
      <PageHeader />
      <FilterBar filters={filters} catalog={catalog} />
      {catalog.services.length > 0 && <DeploymentTimeline scope={timelineScopeFrom(params, catalog)} filters={filters} catalog={catalog} />}
      {firstPage.deployments.length === 0 ? (
        <EmptyState filtered={hasFilters(filters)} />
      ) : (
        <DeploymentTable key={now} firstPage={firstPage} filters={filters} now={now} />
      )}
    </>
  );
}

function PageHeader() {
  return (
    <div className="page-header">
      <h1>Deployments</h1>
      <p className="muted">A service's metric with its deployments and incidents over time, and every deployment Drumbeat has heard of, newest first.</p>
    </div>
  );
}
