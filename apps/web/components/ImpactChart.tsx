"use client";

import { CartesianGrid, Line, LineChart, ReferenceArea, Tooltip, XAxis, YAxis } from "recharts";

export interface ImpactChartProps {
  metric: string;
  points: { at: string; value: number }[];
  before: { from: string; to: string };
  after: { from: string; to: string } | null;
}

const time = (iso: string) => iso.slice(11, 16);

/** A metric around a deployment, per minute, with the before and after windows the verdict compared shaded. */
export function ImpactChart({ metric, points, before, after }: ImpactChartProps) {
  return (
    <div className="impact-chart" role="img" aria-label={`${metric} per minute before and after the deployment`}>
      <LineChart responsive data={points} style={{ width: "100%", height: 140 }} margin={{ top: 6, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="at" tickFormatter={time} tick={{ fontSize: 11, fill: "var(--muted)" }} tickLine={false} axisLine={false} minTickGap={30} />
        <YAxis tick={{ fontSize: 11, fill: "var(--muted)" }} tickLine={false} axisLine={false} width={52} tickFormatter={(value: number) => String(Number(value.toPrecision(3)))} />
        <ReferenceArea x1={before.from} x2={before.to} fill="var(--blue-soft)" fillOpacity={0.6} ifOverflow="hidden" />
        {after && <ReferenceArea x1={after.from} x2={after.to} fill="var(--amber-soft)" fillOpacity={0.6} ifOverflow="hidden" />}
        <Tooltip labelFormatter={(at) => `${String(at).slice(0, 16).replace("T", " ")} UTC`} contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--text)" }} />
        <Line type="monotone" dataKey="value" name={metric} stroke="var(--accent)" strokeWidth={1.8} dot={false} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}
