"use client";

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

export interface TrendPoint {
  start: string;
  value: number | null;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const weekLabel = (iso: string) => `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]}`;

/** One figure week by week; `format` picks the axis units (per day, hours or days, percent, a plain number). */
export function TrendChart({ title, points, format }: { title: string; points: TrendPoint[]; format: "perDay" | "seconds" | "rate" | "number" }) {
  const show = (value: number) => {
    if (format === "rate") return `${Math.round(value * 100)}%`;
    if (format === "perDay" || format === "number") return String(Number(value.toPrecision(2)));
    return value >= 2 * 86_400 ? `${Number((value / 86_400).toPrecision(2))} d` : `${Number((value / 3_600).toPrecision(2))} h`;
  };
  return (
    <section className="card chart trend" aria-label={title}>
      <h2>{title}</h2>
      <LineChart responsive data={points} style={{ width: "100%", height: 160 }} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="start" tickFormatter={weekLabel} tick={{ fontSize: 11, fill: "var(--muted)" }} tickLine={false} axisLine={false} minTickGap={24} />
        <YAxis tickFormatter={show} tick={{ fontSize: 11, fill: "var(--muted)" }} tickLine={false} axisLine={false} width={52} />
        <Tooltip
          labelFormatter={(start) => `Week of ${weekLabel(String(start))}`}
          formatter={(value) => (typeof value === "number" ? show(value) : "–")}
          contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--text)" }}
        />
        <Line type="monotone" dataKey="value" name={title} stroke="var(--accent)" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
      </LineChart>
    </section>
  );
}
