import type { CollectorsConfig, Target } from "./config.ts";
import { own } from "./fields.ts";

/** Environment names every team uses for the same thing; the configuration adds to these. */
const BUILT_IN_ENVIRONMENTS: Record<string, string> = {
  prod: "production",
  prd: "production",
  production: "production",
  live: "production",
  stage: "staging",
  stg: "staging",
  staging: "staging",
  dev: "development",
  development: "development",
};

/** A tool's environment name as a Drumbeat environment; `fallback` (e.g. GitLab's tier) when the name is not known. */
export function environmentOf(config: CollectorsConfig, name: string | null | undefined, fallback?: string | null): string {
  const lookup = (value: string) => own(config.environments, value) ?? own(config.environments, value.toLowerCase()) ?? own(BUILT_IN_ENVIRONMENTS, value.toLowerCase());
  if (name && name.trim()) {
    const known = lookup(name.trim());
    if (known) return known;
    if (fallback && lookup(fallback)) return lookup(fallback)!;
    return name.trim().toLowerCase();
  }
  if (fallback && fallback.trim()) return lookup(fallback.trim()) ?? fallback.trim().toLowerCase();
  return config.defaultEnvironment;
}

/** `owner/repo` as configured, else the repository's own name as the service. */
export function repositoryTarget(config: CollectorsConfig, fullName: string): Target {
  return own(config.repositories, fullName) ?? own(config.repositories, fullName.toLowerCase()) ?? { service: fullName.split("/").pop() || fullName };
}

/** The first of a tool's names for a service that the configuration maps; else the first name itself. */
export function serviceTarget(config: CollectorsConfig, ...names: (string | null | undefined)[]): Target | undefined {
  const present = names.filter((name): name is string => typeof name === "string" && name.trim().length > 0);
  for (const name of present) {
    const target = own(config.services, name);
    if (target) return target;
  }
  return present[0] ? { service: present[0] } : undefined;
}

/** The `service` and (when known) `team` fields of an event. */
export function targetFields(target: Target): { service: string; team?: string } {
  return target.team ? { service: target.service, team: target.team } : { service: target.service };
}
