import type { Metadata } from "next";
import { BatchSection } from "../../components/insights/BatchSection.tsx";
import { PromotionSection } from "../../components/insights/PromotionSection.tsx";
import { ReleaseWindowSection } from "../../components/insights/ReleaseWindowSection.tsx";
import { StrategiesSection } from "../../components/insights/StrategiesSection.tsx";
import { TimeZonePicker } from "../../components/insights/TimeZonePicker.tsx";
import { ScopedPage } from "../../components/ScopedPage.tsx";
import { batchInsights, promotionInsights, releaseWindow, strategyInsights } from "../../lib/api.ts";
import { single } from "../../lib/filters.ts";
import { formatAbsolute } from "../../lib/format.ts";
import { knownTimeZone } from "../../lib/insights.ts";
import { scopeFrom, scopeQuery } from "../../lib/scope.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Release insights" };

/** The zones the picker offers: this runtime's IANA names, UTC first. */
const ZONES = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];

type SearchParams = Record<string, string | string[] | undefined>;

export default async function InsightsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const asked = single(params.timeZone);
  const zone = knownTimeZone(asked) ?? "UTC";
  const scope = scopeFrom(params);
  return (
    <ScopedPage
      path="/insights"
      title="Release insights"
      intro="Does shipping small, often and at any hour pay off here? Your own deployments answer: batch size against failure, the release window, build once and promote, and strategies compared."
      searchParams={Promise.resolve(params)}
      keep={asked ? { timeZone: zone } : {}}
      load={async (query) => {
        const [batch, release, promotion, strategies] = await Promise.all([
          batchInsights(query, "team"), releaseWindow(query, zone), promotionInsights(query), strategyInsights(query),
        ]);
        return { batch, release, promotion, strategies };
      }}
      render={({ batch, release, promotion, strategies }) => (
        <>
          {!batch.upToDate && <p className="muted small stale" data-testid="stale">Newer events are still being counted: {batch.asOf ? `figures as of ${formatAbsolute(batch.asOf)}` : "the first figures are being built"}.</p>}
          <BatchSection batch={batch} />
          {asked && zone !== asked && <p className="inline-error" role="status">Unknown time zone “{asked}”: showing UTC.</p>}
          <ReleaseWindowSection
            release={release}
            picker={<TimeZonePicker zone={zone} explicit={asked !== undefined} zones={ZONES} hidden={Object.fromEntries(new URLSearchParams(scopeQuery(scope)))} action="/insights" />}
          />
          <PromotionSection promotion={promotion} />
          <StrategiesSection strategies={strategies} />
          <p className="muted small footnote">
            Every figure is the API&rsquo;s (<code>/api/v1/insights/…</code>), over the production environment unless one is picked; a failure means what it means in the change failure rate. Rules: docs/insights.md.
          </p>
        </>
      )}
    />
  );
}
