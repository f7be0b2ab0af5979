import Form from "next/form";
import { Link } from "./Link.tsx";
import { RANGE_PRESETS, scopeQuery, type Scope } from "../lib/scope.ts";
import type { ServiceCatalog } from "../lib/types.ts";
import { FilterSelect } from "./FilterSelect.tsx";

const asOptions = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/**
 * Time range, team, service and environment for the DORA views. A GET form: the URL holds the
 * scope, so every view is a shareable link. A pinned range (from/to) is kept until cleared.
 */
export function ScopeBar({ scope, catalog, action, environmentDefault = "Production", keep = {} }: {
  scope: Scope;
  catalog: ServiceCatalog;
  action: string;
  /** What no environment means on this page: DORA figures describe production, lists show all. */
  environmentDefault?: string;
  /** The page's own URL parameters (not scope), kept when the scope changes. */
  keep?: Record<string, string>;
}) {
  const pinned = scope.from && scope.to;
  const filtered = pinned || scope.service || scope.team || scope.environment || scope.range !== "30d";
  return (
    <Form action={action} className="filters" key={JSON.stringify(scope)}>
      {Object.entries(keep).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      {pinned ? (
        <>
          <input type="hidden" name="from" value={scope.from} />
          <input type="hidden" name="to" value={scope.to} />
          <span className="filter">
            <span className="filter-label">Range</span>
            <span className="pinned-range" data-testid="pinned-range">{scope.from} to {scope.to}</span>
          </span>
        </>
      ) : (
        <FilterSelect
          name="range"
          label="Range"
          value={scope.range}
          options={RANGE_PRESETS.map((preset) => ({ value: preset.key, label: preset.label }))}
          allowAll={false}
        />
      )}
      <FilterSelect name="team" label="Team" value={scope.team} options={asOptions(catalog.teams)} />
      <FilterSelect name="service" label="Service" value={scope.service} options={asOptions(catalog.services.map((entry) => entry.service))} />
      <FilterSelect name="environment" label="Environment" value={scope.environment} options={asOptions(catalog.environments)} allLabel={environmentDefault} />
      <noscript>
        <button type="submit" className="button">Apply</button>
      </noscript>
      {filtered && (
        <Link href={`${action}?${scopeQuery({ range: "30d" })}`} className="clear-filters">
          Reset
        </Link>
      )}
    </Form>
  );
}
