import type { Metadata } from "next";
import Form from "next/form";
import { Link } from "../../components/Link.tsx";
import { Culprit } from "../../components/Culprit.tsx";
import { FilterSelect } from "../../components/FilterSelect.tsx";
import { ScrolledToEnd } from "../../components/ScrolledToEnd.tsx";
import { Timestamp } from "../../components/Timestamp.tsx";
import { UsecaseCell } from "../../components/UsecaseCell.tsx";
import { listServices, listUsecases, usecaseMatrix } from "../../lib/api.ts";
import { single } from "../../lib/filters.ts";
import { shortVersion } from "../../lib/format.ts";
import type { ServiceCatalog } from "../../lib/types.ts";
import { readOrError } from "../../components/readOrError.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Use cases" };

type SearchParams = Record<string, string | string[] | undefined>;

/** The service and environment shown: from the URL, else the first service seen, in production when it has it. */
function scopeOf(params: SearchParams, catalog: ServiceCatalog) {
  const service = single(params.service) ?? catalog.services[0]?.service;
  const entry = catalog.services.find((candidate) => candidate.service === service);
  const environment = single(params.environment) ?? (entry?.environments.includes("production") ? "production" : entry?.environments[0]);
  return service && environment ? { service, environment } : undefined;
}

/** The catalog, the scope it gives, and that scope's use cases and matrix (none without a scope). */
async function readPage(params: SearchParams) {
  const catalog = await listServices();
  const scope = scopeOf(params, catalog);
  const [list, matrix] = scope ? await Promise.all([listUsecases(scope), usecaseMatrix(scope)]) : [undefined, undefined];
  return { catalog, scope, list, matrix };
}

export default async function UsecasesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const now = new Date().toISOString();
  const header = (
    <div className="page-header">
      <h1>Use cases</h1>
      <p className="muted">Post-deployment tests of what users do: whether each works now, which deployment and commit broke it, and which deployment fixed it.</p>
    </div>
  );
  const read = await readOrError(readPage(params), "/usecases", header);
  if (read.failed) return read.failed;
  const { catalog, scope, list, matrix } = read.data;
  const services = catalog.services.map((entry) => ({ value: entry.service, label: entry.service }));
  const environments = catalog.environments.map((environment) => ({ value: environment, label: environment }));

  return (
    <>
      {header}
      <Form action="/usecases" className="filters" key={JSON.stringify(scope)}>
        <FilterSelect name="service" label="Service" value={scope?.service} options={services} allowAll={false} />
        <FilterSelect name="environment" label="Environment" value={scope?.environment} options={environments} allowAll={false} />
        <noscript><button type="submit" className="button">Apply</button></noscript>
      </Form>
      {!scope || !list || !matrix || list.usecases.length === 0 ? (
        <div className="state" data-testid="empty-state">
          <h2>No use-case results{scope ? ` for ${scope.service} in ${scope.environment}` : ""} yet</h2>
          <p>Run your post-deployment tests against each deployment and send their results, for example a JUnit report:</p>
          <pre className="code">{`npx drumbeat report junit results.xml --deployment <deployment id>`}</pre>
          <p className="small muted">or add <code>@drumbeat/playwright-reporter</code> to your Playwright config (docs/usecases.md).</p>
        </div>
      ) : (
        <>
          <section aria-labelledby="state-heading">
            <h2 id="state-heading" className="section-title">Where each use case stands</h2>
            <div className="card table-scroll">
              <table className="table" data-testid="usecase-table">
                <thead>
                  <tr><th>Use case</th><th>Now</th><th className="num">Pass rate</th><th>Last run</th><th>Broken by</th></tr>
                </thead>
                <tbody>
                  {list.usecases.map((state) => (
                    <tr key={state.usecase} data-testid="usecase-row" data-usecase={state.usecase}>
                      <td>
                        <Link href={`/usecases/${encodeURIComponent(state.usecase)}?service=${encodeURIComponent(scope.service)}&environment=${encodeURIComponent(scope.environment)}`}>{state.usecase}</Link>
                        <div className="small muted">{state.suite}</div>
                      </td>
                      <td><UsecaseCell outcome={state.status} /></td>
                      <td className="num">{(state.passRate * 100).toFixed(0)}%</td>
                      <td><Timestamp iso={state.lastRun.at} now={now} /></td>
                      <td>{state.status === "pass" && !state.flaky ? <span className="muted">–</span> : <Culprit state={state} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section aria-labelledby="matrix-heading">
            <h2 id="matrix-heading" className="section-title">The last {matrix.deployments.length} deployments</h2>
            <ScrolledToEnd className="card table-scroll">
              <table className="table matrix" data-testid="usecase-matrix">
                <thead>
                  <tr>
                    <th>Use case</th>
                    {matrix.deployments.map((deployment) => (
                      <th key={deployment.deploymentId} className="matrix-head">
                        <Link href={`/deployments/${encodeURIComponent(deployment.deploymentId)}`} title={`${deployment.deploymentId}, ${deployment.deployedAt}`} className="mono">
                          {shortVersion(deployment.version)}
                        </Link>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {matrix.usecases.map((row) => (
                    <tr key={row.usecase} data-usecase={row.usecase}>
                      <td className="matrix-name">{row.usecase}</td>
                      {row.cells.map((cell, index) => <td key={index} className="matrix-cell"><UsecaseCell outcome={cell} /></td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrolledToEnd>
            <p className="small muted">Oldest on the left, opened at the newest. ✓ passed, ✗ failed, ~ passed and failed in the same deployment (flaky), – skipped, blank not run.</p>
          </section>
        </>
      )}
    </>
  );
}
