import type { Metadata } from "next";
import { Suspense } from "react";
import { OverviewFigures, OverviewFiguresPending } from "../components/overview/OverviewFigures.tsx";
import { OverviewGroups, OverviewGroupsPending } from "../components/overview/OverviewGroups.tsx";
import { ScopeBar } from "../components/ScopeBar.tsx";
import { doraGroups, doraSummary, doraTimeseries, listServices } from "../lib/api.ts";
import { doraQueryOf, scopeFrom, scopeQuery } from "../lib/scope.ts";
import { readOrError } from "../components/readOrError.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** A request started now and awaited later, by a section: marked handled so a failure waits for its section. */
function started<T>(request: Promise<T>): Promise<T> {
  request.catch(() => {});
  return request;
}

/**
 * The page frame comes first; the figures and the per-group table stream in as their
 * answers arrive (over a large history the DORA reads take most of a second), each in a
 * box of its final size so nothing moves.
 */
export default async function OverviewPage({ searchParams }: Props) {
  const params = await searchParams;
  const scope = scopeFrom(params);
  const groupBy = params.by === "team" ? "team" : "service";
  const query = doraQueryOf(scope);
  // The frame waits for the catalog (the filters): asked first, so it is not queued behind the DORA reads.
  const pendingCatalog = listServices();
  const summary = started(doraSummary(query));
  const weekly = started(doraTimeseries(query, "week"));
  const groups = started(doraGroups(query, groupBy));

  const read = await readOrError(pendingCatalog, `/?${scopeQuery(scope)}`, <Header />);
  if (read.failed) return read.failed;
  const catalog = read.data;
  return (
    <>
      <Header />
      <ScopeBar scope={scope} catalog={catalog} action="/" />
      <Suspense fallback={<OverviewFiguresPending query={query} />}>
        <OverviewFigures scope={scope} query={query} summary={summary} weekly={weekly} />
      </Suspense>
      <div className="section-head">
        <h2>By {groupBy}</h2>
        <nav className="segmented" aria-label="Group by">
          <a href={`/?${scopeQuery(scope)}`} aria-current={groupBy === "service" ? "page" : undefined}>Service</a>
          <a href={`/?${scopeQuery(scope)}${scopeQuery(scope) ? "&" : ""}by=team`} aria-current={groupBy === "team" ? "page" : undefined}>Team</a>
        </nav>
      </div>
      <Suspense fallback={<OverviewGroupsPending groupBy={groupBy} />}>
        <OverviewGroups scope={scope} groupBy={groupBy} groups={groups} />
      </Suspense>
    </>
  );
}

function Header() {
  return (
    <div className="page-header">
      <h1>Overview</h1>
      <p className="muted">How often you ship, how fast changes reach production, how often they fail and how fast you recover.</p>
    </div>
  );
}
