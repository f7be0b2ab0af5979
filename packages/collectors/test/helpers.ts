import { readFileSync } from "node:fs";
import { CollectorsConfig, type CollectorsConfigInput, type Delivery } from "../src/index.ts";

/** A fixture of this package (test/fixtures/<source>/<file>), parsed. */
export function fixture(source: string, file: string): any {
  return JSON.parse(readFileSync(new URL(`./fixtures/${source}/${file}`, import.meta.url), "utf8"));
}

export function config(input: CollectorsConfigInput = {}): CollectorsConfig {
  return CollectorsConfig.parse(input);
}

export function delivery(payload: unknown, headers: Record<string, string> = {}, deliveryId = "delivery-1"): Delivery {
  return { headers, payload, deliveryId, receivedAt: "2026-03-01T12:00:00.000Z" };
}
