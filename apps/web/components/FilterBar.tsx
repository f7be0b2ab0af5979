import Form from "next/form";
import { Link } from "./Link.tsx";
import { DEPLOYMENT_STATUSES, hasFilters, type DeploymentFilters } from "../lib/filters.ts";
import type { ServiceCatalog } from "../lib/types.ts";
import { FilterSelect } from "./FilterSelect.tsx";
import { statusLabel } from "./StatusBadge.tsx";

const asOptions = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/**
 * Service / team / environment / status filters. A GET form: the URL holds the filters,
 * so a filtered view can be bookmarked and shared. Choices come from GET /api/v1/services.
 */
export function FilterBar({ filters, catalog }: { filters: DeploymentFilters; catalog: ServiceCatalog }) {
  const services = catalog.services.map((entry) => entry.service);
  return (
    <Form action="/deployments" className="filters" key={JSON.stringify(filters)}>
      <FilterSelect name="service" label="Service" value={filters.service} options={asOptions(services)} />
      <FilterSelect name="team" label="Team" value={filters.team} options={asOptions(catalog.teams)} />
      <FilterSelect name="environment" label="Environment" value={filters.environment} options={asOptions(catalog.environments)} />
      <FilterSelect
        name="status"
        label="Status"
        value={filters.status}
        options={DEPLOYMENT_STATUSES.map((status) => ({ value: status, label: statusLabel(status) }))}
      />
      <noscript>
        <button type="submit" className="button">Apply</button>
      </noscript>
      {hasFilters(filters) && (
        <Link href="/deployments" className="clear-filters">
          Clear filters
        </Link>
      )}
    </Form>
  );
}
