import { writeFileSync } from "node:fs";
import { API_FLAGS, API_USAGE } from "../apiFlags.ts";
import { apiTargetFromEnv, callApi } from "../client.ts";
import { parseFlags, type Command } from "../command.ts";
import { CliError } from "../errors.ts";

interface DigestPreview { subject: string; html: string; text: string; recipients: string[] }
interface DigestSend { status: "sent" | "already_sent" | "in_progress"; recipients?: string[]; messageId?: string }

/**
 * The weekly digest of one ISO week (docs/digest.md), through the API: --preview writes
 * the HTML (and the text part next to it), --send asks the server to mail it, once.
 */
export const digestCommand: Command = {
  name: "digest",
  summary: "preview or send the weekly digest: digest --week 2026-W47 [--team T] (--preview out.html | --send)",
  usage: `drumbeat digest --week YYYY-Www [--team TEAM] (--preview FILE.html | --send) ${API_USAGE}`,
  async run(args) {
    const { values } = parseFlags(args, {
      week: { type: "string" },
      team: { type: "string" },
      preview: { type: "string" },
      send: { type: "boolean" },
      ...API_FLAGS,
    }, this.usage);
    if (!values.week) throw new CliError(`give --week, e.g. --week 2026-W47\nusage: ${this.usage}`, 2);
    if (!values.preview === !values.send) throw new CliError(`give one of --preview FILE or --send\nusage: ${this.usage}`, 2);
    const target = apiTargetFromEnv(values);
    const audience = { week: values.week, ...(values.team ? { team: values.team } : {}) };
    if (values.preview) {
      const preview = await callApi<DigestPreview>(target, "GET", `/api/v1/digest?${new URLSearchParams(audience)}`);
      const textFile = values.preview.replace(/\.html?$/i, "") + ".txt";
      writeFileSync(values.preview, preview.html);
      writeFileSync(textFile, preview.text);
      console.log(`${preview.subject}\nwrote ${values.preview} and ${textFile}; --send would mail ${preview.recipients.join(", ") || "nobody (no recipients configured)"}`);
      return;
    }
    const sent = await callApi<DigestSend>(target, "POST", "/api/v1/digest/send", { json: audience });
    if (sent.status === "sent") console.log(`sent ${values.week} to ${sent.recipients?.join(", ")} (${sent.messageId})`);
    else console.log(sent.status === "already_sent" ? `${values.week} was already sent; not sending it again` : `${values.week} is being sent by another server`);
  },
};
