import { apiTargetFromEnv, callApi } from "../client.ts";
import { parseFlags, type Command } from "../command.ts";
import { CliError } from "../errors.ts";

interface ReprocessReport {
  deliveries: number;
  events: number;
  written: number;
  ignored: number;
  malformed: number;
}

/**
 * Re-runs the webhook mappings over the journal. The embedded store belongs to the API
 * process, so this asks the API (admin token) rather than opening the store.
 */
export const reprocessCommand: Command = {
  name: "reprocess",
  summary: "map journaled webhook payloads again after a mapping improved: reprocess --since DATE [--source S]",
  usage: "drumbeat reprocess --since 2026-01-01 [--source github|gitlab|argocd|pagerduty|opsgenie|sentry|flags|unleash|launchdarkly] [--url URL] [--token TOKEN]",
  async run(args) {
    const { values } = parseFlags(args, {
      source: { type: "string" },
      since: { type: "string" },
      url: { type: "string" },
      token: { type: "string" },
    }, this.usage);
    if (!values.since) throw new CliError(`give --since (a date or RFC 3339 time)\nusage: ${this.usage}`, 2);
    const report = await callApi<ReprocessReport>(apiTargetFromEnv(values), "POST", "/api/v1/admin/reprocess", {
      json: { source: values.source, since: values.since },
    });
    console.log(
      `reprocessed ${report.deliveries} deliveries${values.source ? ` from ${values.source}` : ""}: ` +
        `${report.events} events (${report.written} new), ${report.ignored} ignored, ${report.malformed} malformed`,
    );
  },
};
