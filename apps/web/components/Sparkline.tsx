"use client";

import { Line, LineChart, YAxis } from "recharts";

/** A figure's recent course, drawn without axes; gaps where the sample was too small. */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const data = values.map((value, index) => ({ index, value }));
  return (
    <div className="sparkline" role="img" aria-label={label}>
      <LineChart width={220} height={36} data={data} margin={{ top: 4, right: 2, bottom: 4, left: 2 }}>
        <YAxis hide domain={["dataMin", "dataMax"]} />
        <Line type="monotone" dataKey="value" stroke="var(--accent)" strokeWidth={1.6} dot={false} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </div>
  );
}
