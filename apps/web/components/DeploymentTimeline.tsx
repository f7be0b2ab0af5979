import Form from "next/form";
import { Link } from "./Link.tsx";
import { ApiError, deploymentsBetween, listIncidents, listMetrics, metricSeries } from "../lib/api.ts";
import { filtersQuery, type DeploymentFilters } from "../lib/filters.ts";
import { OUTCOMES, markersOf } from "../lib/outcomes.ts";
import { TIMELINE_WINDOWS, bandsOf, chosenMetric, windowRange, type TimelineScope } from "../lib/timeline.ts";
import type { ServiceCatalog } from "../lib/types.ts";
import { FilterSelect } from "./FilterSelect.tsx";
import { TimelineChart } from "./TimelineChart.tsx";

const MARKER_LIMIT = 500;

/** The card around the timeline; its height is fixed by the chart or the message, so nothing shifts. */
function Card({ children, scope }: { children: React.ReactNode; scope?: TimelineScope }) {
  return (
    <section className="card chart timeline" aria-labelledby="timeline-heading" data-testid="timeline-chart"
      data-service={scope?.service ?? ""} data-environment={scope?.environment ?? ""}>
      {children}
    </section>
  );
}

/** Without a service there is no one metric to chart: offer the services instead. */
function PickService({ filters, catalog }: { filters: DeploymentFilters; catalog: ServiceCatalog }) {
  return (
    <Card>
      <h2 id="timeline-heading">Metric timeline</h2>
      <p className="muted" data-testid="timeline-pick-service">
        Pick a service to chart one of its metrics with its deployments and incidents:{" "}
        {catalog.services.slice(0, 12).map((entry, index) => (
          <span key={entry.service}>
            {index > 0 && ", "}
            <Link href={`/deployments?${filtersQuery({ ...filters, service: entry.service })}`}>{entry.service}</Link>
          </span>
        ))}
        {catalog.services.length > 12 && ", or any in the Service filter above"}.
      </p>
    </Card>
  );
}

/** The service's metrics, and when it has any, the chosen one's series with the deployments and incidents of the window. */
async function loadTimeline(scope: TimelineScope, range: { from: string; to: string }) {
  const { service, environment } = scope;
  const { metrics } = await listMetrics({ service, environment });
  const metric = chosenMetric(metrics, scope.metric);
  if (!metric) return { metrics, charted: undefined };
  const [series, deployments, incidents] = await Promise.all([
    metricSeries({ service, environment, metric, ...range, step: scope.window.stepSeconds }),
    deploymentsBetween({ service, environment, ...range }, MARKER_LIMIT),
    listIncidents({ service, environment, ...range }),
  ]);
  return { metrics, charted: { metric, series, deployments, incidents } };
}

/**
 * One metric of the filtered service over a window, with its deployments (colored by outcome)
 * and incidents. The metric and window are in the URL with the filters, so it is a shareable link.
 */
export async function DeploymentTimeline({ scope, filters, catalog }: {
  scope: TimelineScope | undefined;
  filters: DeploymentFilters;
  catalog: ServiceCatalog;
}) {
  if (!scope) return <PickService filters={filters} catalog={catalog} />;
  const { service, environment } = scope;
  const range = windowRange(scope.window);
  let loaded: Awaited<ReturnType<typeof loadTimeline>>;
  try {
    loaded = await loadTimeline(scope, range);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return (
      <Card scope={scope}>
        <h2 id="timeline-heading">Metric timeline</h2>
        <p className="inline-error" role="alert">Could not load the timeline: {error.message}</p>
      </Card>
    );
  }

  const heading = <h2 id="timeline-heading">{loaded.charted?.metric ?? "Metric timeline"} <span className="muted small">{service} in {environment}</span></h2>;
  if (!loaded.charted) {
    return (
      <Card scope={scope}>
        {heading}
        <div data-testid="timeline-empty">
          <p>No metrics of {service} in {environment} yet, so there is nothing to draw its deployments against. Point an OpenTelemetry exporter at <code>/v1/metrics</code>, or send points:</p>
          <pre className="code">{`curl -sS http://<drumbeat>/api/v1/metrics/points -H 'content-type: application/json' \\
  -d '{"service":"${service}","environment":"${environment}","metric":"http.server.errors","at":"${range.to}","value":0.4}'`}</pre>
        </div>
      </Card>
    );
  }

  const { metrics } = loaded;
  const { metric, series, deployments, incidents } = loaded.charted;
  const markers = markersOf(deployments.deployments);
  const bands = bandsOf(incidents.incidents, range);
  const unit = metrics.find((entry) => entry.metric === metric)?.unit ?? "";
  const counts = Object.fromEntries(OUTCOMES.map(({ outcome }) => [outcome, markers.filter((marker) => marker.outcome === outcome).length]));
  const hidden = { ...filters, service, environment };
  return (
    <Card scope={scope}>
      <div className="chart-head">
        {heading}
        <Form action="/deployments" className="timeline-pickers" key={`${metric}-${scope.window.key}`}>
          {Object.entries(hidden).map(([name, value]) => value ? <input key={name} type="hidden" name={name} value={value} /> : null)}
          <FilterSelect name="metric" label="Metric" value={metric} options={metrics.map((entry) => ({ value: entry.metric, label: entry.metric }))} allowAll={false} />
          <FilterSelect name="window" label="Window" value={scope.window.key} options={TIMELINE_WINDOWS.map((window) => ({ value: window.key, label: window.label }))} allowAll={false} />
          <noscript><button type="submit" className="button">Apply</button></noscript>
        </Form>
      </div>
      <div role="img" data-testid="timeline-plot" data-metric={metric} data-points={series.points.length}
        aria-label={`${metric} of ${service} in ${environment}, ${scope.window.label.toLowerCase()}, with ${markers.length} deployments and ${bands.length} incidents`}>
        <TimelineChart
          metric={metric} unit={unit}
          points={series.points.map((point) => ({ at: Date.parse(point.at), value: point.value }))}
          markers={markers} bands={bands} from={Date.parse(range.from)} to={Date.parse(range.to)}
        />
      </div>
      <ul className="legend timeline-legend" data-testid="timeline-legend">
        {OUTCOMES.map(({ outcome, label, color }) => (
          <li key={outcome} data-outcome={outcome} data-count={counts[outcome]}>
            <i style={{ background: color }} />{label} ({counts[outcome]})
          </li>
        ))}
        <li data-outcome="incident" data-count={bands.length}><i className="legend-band" />Incident ({bands.length})</li>
      </ul>
      {deployments.nextCursor && (
        <p className="small muted">Showing the newest {MARKER_LIMIT} deployments of the window; pick a shorter window to see every one.</p>
      )}
    </Card>
  );
}
