import { cellDescription, DAY_NAMES, hourRange, rateWithInterval, SHADE_STEPS, shadeOf, TOO_FEW } from "../../lib/insights.ts";
import type { Proportion, ReleaseWindow } from "../../lib/types.ts";

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/** One cell: its deployment count, shaded by failure rate; the full figures for screen readers and on hover. */
function HeatCell({ share, label, testId, attributes = {} }: { share: Proportion; label: string; testId: string; attributes?: Record<string, string> }) {
  return (
    <td className={`heat heat-${shadeOf(share)}`} title={label} data-testid={testId} data-total={share.total} data-failed={share.failed} {...attributes}>
      <span aria-hidden>{share.total === 0 ? "·" : share.total}</span>
      <span className="sr-only">{label}</span>
    </td>
  );
}

/** The release window: a 7 × 24 heatmap of change failure rate with counts, the days' and hours' margins, and the Friday-afternoon answer. */
export function ReleaseWindowSection({ release, picker }: { release: ReleaseWindow; picker: React.ReactNode }) {
  const cell = (day: number, hour: number) => release.cells.find((c) => c.dayOfWeek === day && c.hour === hour)!.changeFailureRate;
  const total = release.days.reduce((sum, day) => sum + day.changeFailureRate.total, 0);
  return (
    <section className="insight" aria-labelledby="window-title" data-testid="window-section">
      <div className="section-head">
        <h2 id="window-title" className="section-title">The release window</h2>
        {picker}
      </div>
      <p className="insight-verdict" data-testid="friday-sentence">{release.fridayAfternoon.sentence}</p>
      {total === 0 ? (
        <div className="state" data-testid="window-empty">
          <h2>No deployments in this range</h2>
          <p>The heatmap fills in as deployments reach a final status; an hour without deployments says nothing about its risk.</p>
        </div>
      ) : (
        <div className="card heatmap-card">
          <table className="heatmap" data-testid="heatmap" data-time-zone={release.timeZone}>
            <caption className="heatmap-caption">
              Deployments per hour of the week in {release.timeZone}, shaded by change failure rate. Each cell shows its number of deployments.
            </caption>
            <thead>
              <tr>
                <td />
                {HOURS.map((hour) => <th key={hour} scope="col" abbr={hourRange(hour)}>{hour}</th>)}
                <th scope="col">All</th>
              </tr>
            </thead>
            <tbody>
              {DAY_NAMES.map((name, index) => {
                const day = index + 1;
                const dayShare = release.days.find((d) => d.dayOfWeek === day)!.changeFailureRate;
                return (
                  <tr key={name}>
                    <th scope="row" abbr={name}>{name.slice(0, 3)}</th>
                    {HOURS.map((hour) => (
                      <HeatCell
                        key={hour}
                        share={cell(day, hour)}
                        label={cellDescription(name, hourRange(hour), cell(day, hour))}
                        testId="heat-cell"
                        attributes={{ "data-day": String(day), "data-hour": String(hour) }}
                      />
                    ))}
                    <HeatCell share={dayShare} label={cellDescription(name, "all day", dayShare)} testId="heat-day" attributes={{ "data-day": String(day) }} />
                  </tr>
                );
              })}
              <tr>
                <th scope="row">All</th>
                {HOURS.map((hour) => {
                  const share = release.hours.find((h) => h.hour === hour)!.changeFailureRate;
                  return <HeatCell key={hour} share={share} label={cellDescription("Every day", hourRange(hour), share)} testId="heat-hour" attributes={{ "data-hour": String(hour) }} />;
                })}
                <td />
              </tr>
            </tbody>
          </table>
          <ul className="heat-legend" aria-label="Legend">
            <li><i className="heat heat-none" /> no deployments</li>
            <li><i className="heat heat-few" /> fewer than {TOO_FEW}: too few to judge</li>
            {SHADE_STEPS.map((step) => <li key={step.shade}><i className={`heat heat-${step.shade}`} /> {step.label} failed</li>)}
          </ul>
          <p className="muted small">
            Friday 12:00–18:00: {rateWithInterval(release.fridayAfternoon.friday)} of {release.fridayAfternoon.friday.total}; every other hour: {rateWithInterval(release.fridayAfternoon.rest)} of {release.fridayAfternoon.rest.total}.
          </p>
        </div>
      )}
    </section>
  );
}
