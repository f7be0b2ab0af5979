import { createHash } from "node:crypto";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { EventInput } from "@drumbeat/events";
import { HttpError } from "../errors.ts";

/** Where a report's results belong: a deployment id, or service + environment + version. */
export interface JunitTarget {
  service: string;
  environment: string;
  deploymentId?: string;
  version?: string;
  team?: string;
  source?: string;
}

/** One JUnit test case as a use-case event (validated by the caller with the others). */
export type JunitUsecase = Extract<EventInput, { type: "usecase" }>;

const ARRAYS = new Set(["testsuite", "testcase", "failure", "error", "skipped"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
  // No path strings built per element for isArray (which names elements alone): a fifth of an import's time.
  jPath: false,
});

type Node = Record<string, unknown>;
const nodes = (value: unknown): Node[] => (Array.isArray(value) ? value.filter((v): v is Node => typeof v === "object" && v !== null) : []);
const attribute = (node: Node, name: string): string | undefined => {
  const value = node[`@${name}`];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
};
/** A failure/error element as text: its message, then its body (a stack trace, usually). */
function problemText(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const parts = [attribute(node, "message"), typeof node["#text"] === "string" ? node["#text"] : undefined].filter(Boolean);
  return parts.join("\n").slice(0, 10_000) || undefined;
}

/** JUnit timestamps usually carry no offset; they are read as UTC. */
function timestampOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Maps a JUnit XML report onto use-case events: each <testcase> is one use case named by
 * its `name`, its suite the path of the <testsuite> elements around it (joined " › ").
 * A <failure> or <error> child fails it, <skipped> skips it, otherwise it passed.
 *
 * Ids are derived from the report's bytes, the target and the case's position, so posting
 * the same report again counts once while a new run (new timings) counts anew.
 */
export function junitToEvents(xml: string, target: JunitTarget, receivedAt: Date): JunitUsecase[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new HttpError(400, "malformed_xml", `the body is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const document = parser.parse(xml) as Node;
  const root = (document.testsuites ?? document.testsuite) as unknown;
  if (root === undefined) throw new HttpError(400, "not_junit", "a JUnit report's root element is <testsuites> or <testsuite>");

  const report = createHash("sha256").update(xml).update(JSON.stringify(target)).digest("hex");
  const events: JunitUsecase[] = [];
  const visit = (suite: Node, path: string[], inheritedAt: string | undefined) => {
    const at = timestampOf(attribute(suite, "timestamp")) ?? inheritedAt;
    for (const testcase of nodes(suite.testcase)) {
      const failure = nodes(testcase.failure)[0] ?? nodes(testcase.error)[0];
      const seconds = Number(attribute(testcase, "time"));
      const index = events.length;
      events.push({
        type: "usecase",
        id: `junit:${createHash("sha256").update(`${report}\u0000${index}`).digest("hex").slice(0, 32)}`,
        occurredAt: at ?? receivedAt.toISOString(),
        service: target.service,
        environment: target.environment,
        ...(target.team ? { team: target.team } : {}),
        source: target.source ?? "junit",
        ...(target.deploymentId ? { deploymentId: target.deploymentId } : {}),
        ...(target.version ? { version: target.version } : {}),
        usecase: attribute(testcase, "name") ?? "",
        ...(path.length > 0 ? { suite: path.join(" › ") } : {}),
        status: failure ? "fail" : testcase.skipped !== undefined ? "skip" : "pass",
        ...(Number.isFinite(seconds) && seconds >= 0 ? { durationMs: Math.round(seconds * 1000) } : {}),
        ...(failure ? { error: problemText(failure) ?? "failed" } : {}),
      });
    }
    for (const child of nodes(suite.testsuite)) {
      const name = attribute(child, "name");
      visit(child, name ? [...path, name] : path, at);
    }
  };
  if (document.testsuites !== undefined) visit(typeof root === "object" && root !== null ? (root as Node) : {}, [], undefined);
  else for (const suite of nodes(root)) visit({ testsuite: [suite] }, [], undefined);
  return events;
}
