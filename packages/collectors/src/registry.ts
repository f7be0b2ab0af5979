import type { Collector } from "./collector.ts";
import type { SourceName } from "./config.ts";
import { flags } from "./flags.ts";
import { github } from "./github.ts";
import { pagerduty } from "./pagerduty.ts";

/** Every source Drumbeat speaks, by the name in its webhook URL (`/webhooks/<source>`). */
export const COLLECTORS: Partial<Record<SourceName, Collector>> = {
  github,
  pagerduty,
  flags,
};
