import { createHash } from "node:crypto";
import type { CollectorsConfig, SourceName } from "./config.ts";
import { collect, ignored, type MappingResult } from "./result.ts";
import { own } from "./fields.ts";

/** One webhook delivery as a mapping sees it: the same live and when reprocessed from the journal. */
export interface Delivery {
  /** Lower-case header names; only the headers the collector keeps. */
  headers: Readonly<Record<string, string>>;
  /** The parsed JSON body. */
  payload: unknown;
  /** The journal key, see deliveryIdOf. */
  deliveryId: string;
  /** When Drumbeat received it (ISO); the time of events whose payload carries none. */
  receivedAt: string;
}

export interface Collector {
  source: SourceName;
  /** Bumped whenever the mapping changes what it produces; recorded in the journal. */
  mappingVersion: number;
  /** Headers the mapping reads, kept in the journal. Never a secret. */
  headers: readonly string[];
  /** The header with the tool's delivery id, when that id stays the same across the tool's retries. */
  deliveryHeader?: string;
  /** A tool checking that the webhook is set up (GitHub's ping): answered 200 once verified, nothing kept. */
  isPing?(headers: Readonly<Record<string, string | undefined>>): boolean;
  /** Checks the request against the source's secret (signature or shared token). */
  verify(secret: string, body: Buffer, headers: Readonly<Record<string, string | undefined>>): boolean;
  /** Pure: payload in, canonical events (or a reason, or the problems) out. */
  map(delivery: Delivery, config: CollectorsConfig): MappingResult;
}

/**
 * The delivery's key: the tool's own delivery id when it has one, else the SHA-256 of the
 * body, so that a byte-identical retry is recognised as the same delivery.
 */
export function deliveryIdOf(collector: Collector, headers: Readonly<Record<string, string | undefined>>, body: Buffer): string {
  const header = collector.deliveryHeader ? headers[collector.deliveryHeader]?.trim() : undefined;
  if (header) return header.slice(0, 200);
  return `sha256-${createHash("sha256").update(body).digest("hex")}`;
}

/** The id of the index-th event made from a delivery: a redelivery or a reprocess yields the same ids. */
export function eventIdOf(source: SourceName, delivery: Delivery, index = 0): string {
  return `${source}:${delivery.deliveryId}:${index}`;
}

/** The headers a collector keeps, lower-cased. */
export function keptHeaders(collector: Collector, headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of collector.headers) {
    const value = headers[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

export type Mapping = (delivery: Delivery, config: CollectorsConfig) => MappingResult;

/**
 * For tools that name a delivery's kind in a header (GitHub, GitLab, Sentry): the header
 * picks the mapping; a kind without one is ignored, a missing header is malformed.
 */
export function mapByHeader(header: string, tool: string, noun: string, mappings: Readonly<Record<string, Mapping>>): Collector["map"] {
  return (delivery, config) => collect(() => {
    const kind = delivery.headers[header];
    if (!kind) return { kind: "malformed", issues: [{ path: `headers.${header}`, message: `missing: ${tool} names the ${noun} in this header` }] };
    const map = own(mappings, kind);
    return map ? map(delivery, config) : ignored(`${tool} ${noun} '${kind}' is not used`);
  });
}
