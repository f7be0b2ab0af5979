import { parseEventBatch } from "@drumbeat/events";
import { apiTargetFromEnv } from "../client.ts";
import { detectCi } from "../ciEnvironment.ts";
import { parseFlags, type Command } from "../command.ts";
import { buildDeploymentEvent, describeIssue } from "../deploymentEvent.ts";
import { CliError } from "../errors.ts";
import { commitsSince } from "../gitCommits.ts";
import { postBatch } from "../ingest.ts";

const EVENT_FLAGS = {
  status: { type: "string" },
  environment: { type: "string" },
  service: { type: "string" },
  version: { type: "string" },
  "deployment-id": { type: "string" },
  team: { type: "string" },
  url: { type: "string" },
  actor: { type: "string" },
  kind: { type: "string" },
  "rolls-back": { type: "string" },
  strategy: { type: "string" },
  "canary-weight": { type: "string" },
  artifact: { type: "string" },
  "occurred-at": { type: "string" },
} as const;

/** `--url` is the deployment's own link (its CI run), so the API's address is `--api-url` here. */
const API_FLAGS = { "api-url": { type: "string" }, token: { type: "string" } } as const;

export const deployCommand: Command = {
  name: "deploy",
  summary: "record a deployment from CI: deploy --status succeeded --environment production",
  usage:
    "drumbeat deploy --status started|succeeded|failed|rolled_back --environment ENV [--service S] [--version SHA] " +
    "[--deployment-id ID] [--team T] [--url URL] [--actor A] [--kind normal|rollback|hotfix] [--rolls-back ID] " +
    "[--strategy rolling|blue_green|canary|recreate] [--canary-weight 0-100] [--artifact DIGEST] " +
    "[--commits-since SHA] [--occurred-at RFC3339] [--dry-run] [--api-url URL] [--token TOKEN]",
  async run(args) {
    const { values } = parseFlags(args, { ...EVENT_FLAGS, ...API_FLAGS, "commits-since": { type: "string" }, "dry-run": { type: "boolean" } }, this.usage);
    const commits = values["commits-since"] ? await commitsSince(values["commits-since"]) : undefined;
    const event = buildDeploymentEvent(values, detectCi(process.env), new Date(), commits);

    const checked = parseEventBatch([event]);
    if (!checked.ok) {
      const problems = checked.issues.map((issue) => `  ${describeIssue(issue, event)}`);
      throw new CliError(`the deployment event is not valid:\n${problems.join("\n")}\nusage: ${this.usage}`, 2);
    }
    const [parsed] = checked.events;
    if (parsed?.type !== "deployment") throw new Error("a deployment event parsed as something else");
    if (values["dry-run"]) {
      console.log(JSON.stringify(parsed, null, 2));
      return;
    }

    const answer = await postBatch(apiTargetFromEnv({ url: values["api-url"], token: values.token }), { json: [event] });
    const what = `deployment ${parsed.deploymentId} ${parsed.status} in ${parsed.environment}`;
    console.log(answer.accepted > 0 ? `recorded ${what} (event ${parsed.id})` : `duplicate: ${what} was already recorded (event ${parsed.id})`);
  },
};
