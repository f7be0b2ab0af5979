import { argocd } from "./argocd.ts";
import type { Collector } from "./collector.ts";
import type { SourceName } from "./config.ts";
import { flags, launchdarkly, unleash } from "./flags.ts";
import { github } from "./github.ts";
import { gitlab } from "./gitlab.ts";
import { opsgenie } from "./opsgenie.ts";
import { pagerduty } from "./pagerduty.ts";
import { sentry } from "./sentry.ts";

/** Every source Drumbeat speaks, by the name in its webhook URL (`/webhooks/<source>`). */
export const COLLECTORS: Record<SourceName, Collector> = {
  github, gitlab, argocd, pagerduty, opsgenie, sentry, flags, unleash, launchdarkly,
};

/** The collector of a source named in a URL or the journal; undefined for anything else. */
export function collectorFor(source: string): Collector | undefined {
  return Object.hasOwn(COLLECTORS, source) ? COLLECTORS[source as SourceName] : undefined;
}
