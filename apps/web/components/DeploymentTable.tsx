"use client";

import { useState, useTransition } from "react";
import { loadMoreDeployments } from "../app/deployments/actions.ts";
import type { DeploymentFilters } from "../lib/filters.ts";
import type { DeploymentPage } from "../lib/types.ts";
import { DeploymentRow } from "./DeploymentRow.tsx";
import { DeploysPerDayChart } from "./DeploysPerDayChart.tsx";

interface Props {
  firstPage: DeploymentPage;
  filters: DeploymentFilters;
  /** When the server rendered the page: relative times of later pages count from it too. */
  now: string;
}

/** The deployment list, server-rendered with its first page; further pages come through the API's cursor. */
export function DeploymentTable({ firstPage, filters, now }: Props) {
  const [deployments, setDeployments] = useState(firstPage.deployments);
  const [cursor, setCursor] = useState(firstPage.nextCursor);
  const [error, setError] = useState<string>();
  const [loading, startLoading] = useTransition();

  const loadMore = () =>
    startLoading(async () => {
      if (!cursor) return;
      const result = await loadMoreDeployments({ ...filters }, cursor);
      if (!result.ok) return setError(result.message);
      setError(undefined);
      setDeployments((shown) => [...shown, ...result.page.deployments]);
      setCursor(result.page.nextCursor);
    });

  return (
    <>
      <DeploysPerDayChart deployments={deployments} />
      <div className="card">
        <div className="table-scroll">
          <table className="table" data-testid="deployments-table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Service</th>
                <th>Version</th>
                <th>Strategy</th>
                <th>Started</th>
                <th className="num">Duration</th>
                <th className="num" title="from its oldest commit's authoring to its success">Lead time</th>
                <th>Verdict</th>
                <th>Authors</th>
              </tr>
            </thead>
            <tbody>
              {deployments.map((deployment) => (
                <DeploymentRow key={deployment.deploymentId} deployment={deployment} now={now} />
              ))}
            </tbody>
          </table>
        </div>
        <div className="table-footer">
          <span className="muted small" data-testid="shown-count">
            {deployments.length} {deployments.length === 1 ? "deployment" : "deployments"} shown
            {cursor ? "" : " · end of list"}
          </span>
          {error && (
            <span className="inline-error" role="alert">
              Could not load more: {error}
            </span>
          )}
          {cursor && (
            <button type="button" className="button" onClick={loadMore} disabled={loading}>
              {loading ? "Loading…" : "Load more"}
            </button>
          )}
        </div>
      </div>
    </>
  );
}
