import type { ReactNode } from "react";
import { ApiError, listServices } from "../lib/api.ts";
import { describeRange, doraQueryOf, scopeFrom, scopeQuery, type DoraQuery, type Scope } from "../lib/scope.ts";
import type { ServiceCatalog } from "../lib/types.ts";
import { ScopeBar } from "./ScopeBar.tsx";
import { ErrorState } from "./States.tsx";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * A drill-down page under the overview's scope bar: reads its data for the scope in the URL
 * and shows an API failure in place.
 */
export async function ScopedPage<T>({ path, title, intro, searchParams, load, render, environmentDefault, keep }: {
  path: string;
  title: string;
  intro: string;
  searchParams: Promise<SearchParams>;
  load: (query: DoraQuery) => Promise<T>;
  render: (data: T, scope: Scope) => ReactNode;
  environmentDefault?: string;
  /** This page's own URL parameters, kept when the scope changes. */
  keep?: Record<string, string>;
}) {
  const scope = scopeFrom(await searchParams);
  const query = doraQueryOf(scope);
  const header = (
    <div className="page-header">
      <h1>{title}</h1>
      <p className="muted">{intro}</p>
    </div>
  );
  let loaded: { catalog: ServiceCatalog; data: T };
  try {
    const [catalog, data] = await Promise.all([listServices(), load(query)]);
    loaded = { catalog, data };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return (
      <>
        {header}
        <ErrorState error={error} retryHref={`${path}?${scopeQuery(scope)}`} />
      </>
    );
  }
  return (
    <>
      {header}
      <ScopeBar scope={scope} catalog={loaded.catalog} action={path} environmentDefault={environmentDefault} keep={keep} />
      <p className="muted small range-line" data-testid="range" data-from={query.from} data-to={query.to}>{describeRange(query)}</p>
      {render(loaded.data, scope)}
    </>
  );
}
