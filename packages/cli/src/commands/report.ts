import { readFile } from "node:fs/promises";
import { apiTargetFromEnv, callApi } from "../client.ts";
import { detectCi } from "../ciEnvironment.ts";
import { parseFlags, type Command } from "../command.ts";
import { CliError } from "../errors.ts";

const FLAGS = {
  deployment: { type: "string" },
  service: { type: "string" },
  environment: { type: "string" },
  version: { type: "string" },
  team: { type: "string" },
  url: { type: "string" },
  token: { type: "string" },
} as const;

interface JunitAnswer {
  accepted: number;
  duplicates: number;
  testcases: number;
}

/**
 * Where the results belong. Flags first, then the CI's values, exactly as `drumbeat deploy`
 * fills them: inside the pipeline that recorded the deployment, the same deployment id.
 */
export function reportTarget(values: { deployment?: string; service?: string; environment?: string; version?: string; team?: string }, env: NodeJS.ProcessEnv) {
  const ci = detectCi(env);
  const environment = values.environment ?? ci?.environment;
  const service = values.service ?? ci?.service;
  const version = values.version ?? ci?.version;
  const deploymentId = values.deployment ?? (environment ? ci?.deploymentId(environment) : undefined);
  if (!deploymentId && !(service && environment && version)) {
    throw new CliError("name the deployment: --deployment ID, or --service, --environment and --version (filled from GitHub Actions or GitLab CI)", 2);
  }
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ deploymentId, service, environment, version, team: values.team, source: ci?.source })) {
    if (value) query.set(name, value);
  }
  return query;
}

export const reportCommand: Command = {
  name: "report",
  summary: "post test results as use-case results: report junit FILE... --deployment ID",
  usage: "drumbeat report junit FILE... [--deployment ID | --service S --environment E --version V] [--team T] [--url URL] [--token TOKEN]",
  async run(args) {
    const { values, positionals } = parseFlags(args, FLAGS, this.usage, true);
    const [format, ...files] = positionals;
    if (format !== "junit" || files.length === 0) throw new CliError(`usage: ${this.usage}`, 2);
    const query = reportTarget(values, process.env);
    const target = apiTargetFromEnv({ url: values.url, token: values.token });
    for (const file of files) {
      let xml: string;
      try {
        xml = await readFile(file, "utf8");
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 2);
      }
      const answer = await callApi<JunitAnswer>(target, "POST", `/api/v1/usecases/junit?${query}`, { xml });
      console.log(`${file}: ${answer.testcases} test cases, ${answer.accepted} recorded, ${answer.duplicates} already recorded`);
    }
  },
};
