import { StoreConfig } from "./config.ts";
import { EmbeddedStore } from "./embedded.ts";
import { ServerStore } from "./server.ts";
import type { Store } from "./store.ts";

/** Opens the configured ClickHouse: a server when a URL is given, else the embedded engine. */
export async function openStore(input: StoreConfig = {}): Promise<Store> {
  const config = StoreConfig.parse(input);
  return config.url ? ServerStore.open(config) : EmbeddedStore.open(config);
}
