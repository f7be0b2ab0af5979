"use client";

import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { OUTCOMES, type Marker } from "../lib/outcomes.ts";
import type { Band } from "../lib/timeline.ts";

export interface TimelineChartProps {
  metric: string;
  unit: string;
  points: { at: number; value: number }[];
  markers: Marker[];
  bands: Band[];
  from: number;
  to: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");
const clock = (time: number) => { const d = new Date(time); return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`; };
const day = (time: number) => { const d = new Date(time); return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`; };
const COLORS = Object.fromEntries(OUTCOMES.map((entry) => [entry.outcome, entry.color]));
const value = (number: number) => String(Number(number.toPrecision(3)));

/**
 * One metric over time (UTC) with a vertical line per deployment, colored by how it ended,
 * and a shaded band per incident from opening to resolution. Fixed height: no layout shift.
 */
export function TimelineChart({ metric, unit, points, markers, bands, from, to }: TimelineChartProps) {
  const short = to - from <= 2 * 86_400_000;
  return (
    <LineChart responsive data={points} style={{ width: "100%", height: 240 }} margin={{ top: 10, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid vertical={false} stroke="var(--border)" />
      <XAxis
        dataKey="at" type="number" scale="time" domain={[from, to]} allowDataOverflow
        tickFormatter={short ? clock : day} tick={{ fontSize: 11, fill: "var(--muted)" }} tickLine={false} axisLine={false} minTickGap={40}
      />
      <YAxis tick={{ fontSize: 11, fill: "var(--muted)" }} tickLine={false} axisLine={false} width={56} tickFormatter={value} />
      {bands.map((band) => (
        <ReferenceArea key={band.incidentId} x1={band.from} x2={Math.max(band.to, band.from + (to - from) / 400)} className="incident-band"
          fill="var(--red)" fillOpacity={0.12} ifOverflow="hidden" />
      ))}
      {markers.map((marker) => (
        <ReferenceLine key={marker.deploymentId} x={marker.at} stroke={COLORS[marker.outcome]} strokeWidth={1.5}
          strokeDasharray={marker.outcome === "in_progress" ? "3 3" : undefined} className={`marker marker-${marker.outcome}`} ifOverflow="hidden" />
      ))}
      <Tooltip
        labelFormatter={(at) => `${day(Number(at))}, ${clock(Number(at))} UTC`}
        formatter={(number) => [`${value(Number(number))}${unit ? ` ${unit}` : ""}`, metric]}
        contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--text)" }}
      />
      <Line type="monotone" dataKey="value" name={metric} stroke="var(--text)" strokeOpacity={0.75} strokeWidth={1.6} dot={false} isAnimationActive={false} connectNulls={false} />
    </LineChart>
  );
}
