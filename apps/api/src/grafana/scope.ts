import { z } from "zod";
import { ValidationError } from "../errors.ts";
import type { GrafanaQueryBody } from "./protocol.ts";

/** The keys Drumbeat filters on: payload options of every metric and Grafana's ad hoc filter keys. */
export const SCOPE_KEYS = ["service", "team", "environment"] as const;
export type ScopeKey = (typeof SCOPE_KEYS)[number];

/** Grafana's "All" of a multi-value variable, and an empty select, mean no filter. */
const ScopeValue = z.string().max(200).optional().transform((value) => (value === "" || value === "$__all" ? undefined : value));

export const ScopePayload = z.object({ service: ScopeValue, team: ScopeValue, environment: ScopeValue });
export type Scope = Partial<Record<ScopeKey, string>>;

/** Ad hoc filters narrow every target of the request; a key Drumbeat cannot filter on is the caller's error. */
export function adHocScope(body: GrafanaQueryBody): Scope {
  const filters = body.filters ?? body.adhocFilters ?? [];
  const scope: Scope = {};
  filters.forEach((filter, index) => {
    if (!(SCOPE_KEYS as readonly string[]).includes(filter.key)) {
      throw new ValidationError("invalid_body", [{ path: `body.filters.${index}.key`, message: `ad hoc filters take ${SCOPE_KEYS.join(", ")}` }]);
    }
    scope[filter.key as ScopeKey] = filter.value;
  });
  return scope;
}

/** "Deployments (checkout, production)": series of several targets stay apart in a legend. */
export function labelOf(label: string, scope: Scope): string {
  const parts = SCOPE_KEYS.map((key) => scope[key]).filter(Boolean);
  return parts.length ? `${label} (${parts.join(", ")})` : label;
}
