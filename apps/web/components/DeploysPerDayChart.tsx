"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { deploymentsPerDay } from "../lib/perDay.ts";
import type { DeploymentStatusName, DeploymentSummary } from "../lib/types.ts";

const SERIES: { status: DeploymentStatusName; name: string; color: string }[] = [
  { status: "succeeded", name: "Succeeded", color: "#2f9e6a" },
  { status: "failed", name: "Failed", color: "#d64545" },
  { status: "rolled_back", name: "Rolled back", color: "#e0a030" },
  { status: "started", name: "In progress", color: "#4f7fdb" },
];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const dayLabel = (day: string) => `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]}`;

/** Deploys per day for the deployments listed below it (it grows with "load more"). */
export function DeploysPerDayChart({ deployments }: { deployments: readonly DeploymentSummary[] }) {
  const days = deploymentsPerDay(deployments);
  return (
    <section className="card chart" aria-label="Deployments per day" data-testid="per-day-chart">
      <div className="chart-head">
        <h2>Deployments per day</h2>
        <span className="muted small">the {deployments.length} listed below, by start day (UTC)</span>
        <ul className="legend">
          {SERIES.map((series) => (
            <li key={series.status}>
              <i style={{ background: series.color }} />
              {series.name}
            </li>
          ))}
        </ul>
      </div>
      <BarChart responsive data={days} style={{ width: "100%", height: 150 }} margin={{ top: 10, right: 8, bottom: 0, left: -24 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="day" tickFormatter={dayLabel} tick={{ fontSize: 11, fill: "var(--muted)" }} tickLine={false} axisLine={false} minTickGap={16} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "var(--muted)" }} tickLine={false} axisLine={false} />
        <Tooltip labelFormatter={(day) => dayLabel(String(day))} cursor={{ fill: "var(--hover)" }} />
        {SERIES.map((series) => (
          <Bar key={series.status} dataKey={series.status} name={series.name} stackId="status" fill={series.color} maxBarSize={28} />
        ))}
      </BarChart>
    </section>
  );
}
