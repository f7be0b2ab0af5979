import type { ReactNode } from "react";
import { listServices } from "../lib/api.ts";
import { describeRange, doraQueryOf, scopeFrom, scopeQuery, type DoraQuery, type Scope } from "../lib/scope.ts";
import { ScopeBar } from "./ScopeBar.tsx";
import { readOrError } from "./readOrError.tsx";

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
  const read = await readOrError(Promise.all([listServices(), load(query)]), `${path}?${scopeQuery(scope)}`, header);
  if (read.failed) return read.failed;
  const [catalog, data] = read.data;
  return (
    <>
      {header}
      <ScopeBar scope={scope} catalog={catalog} action={path} environmentDefault={environmentDefault} keep={keep} />
      <p className="muted small range-line" data-testid="range" data-from={query.from} data-to={query.to}>{describeRange(query)}</p>
      {render(data, scope)}
    </>
  );
}
