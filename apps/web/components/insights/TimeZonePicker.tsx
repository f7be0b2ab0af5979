"use client";

import Form from "next/form";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * The heatmap's time zone, kept in the URL (`timeZone=`). A URL without one is replaced by
 * the browser's own zone once the page has loaded; until then (and without scripts) it is UTC.
 */
export function TimeZonePicker({ zone, explicit, zones, hidden, action }: {
  zone: string;
  /** Whether the URL named the zone (else the browser's replaces it). */
  explicit: boolean;
  zones: readonly string[];
  /** The scope's other parameters, kept when the zone changes. */
  hidden: Record<string, string>;
  action: string;
}) {
  const router = useRouter();
  useEffect(() => {
    if (explicit) return;
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!browserZone) return;
    const query = new URLSearchParams({ ...hidden, timeZone: browserZone });
    router.replace(`${action}?${query}`, { scroll: false });
  }, [explicit, hidden, action, router]);

  const options = zones.includes(zone) ? zones : [zone, ...zones];
  return (
    <Form action={action} className="zone-picker" scroll={false} key={zone}>
      {Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      <label className="filter">
        <span className="filter-label">Time zone</span>
        <select name="timeZone" defaultValue={zone} data-testid="time-zone" onChange={(event) => event.currentTarget.form?.requestSubmit()}>
          {options.map((name) => <option key={name} value={name}>{name.replaceAll("_", " ")}</option>)}
        </select>
      </label>
      <noscript>
        <button type="submit" className="button">Apply</button>
      </noscript>
    </Form>
  );
}
