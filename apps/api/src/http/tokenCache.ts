import { createHash } from "node:crypto";
import type { TokenScope } from "@drumbeat/store";

/**
 * The scopes of recently presented tokens (undefined for unknown ones), each kept for
 * `ttlMs`. At most `capacity` entries, the least recently used dropped first, so a flood
 * of made-up tokens cannot grow it; keyed by the token's SHA-256, so neither a secret nor
 * a long header is kept.
 */
export class TokenCache {
  private readonly entries = new Map<string, { scopes: TokenScope[] | undefined; until: number }>();

  constructor(readonly capacity = 10_000, private readonly ttlMs = 30_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached answer, or the lookup's (then cached). */
  async scopesOf(token: string, lookup: (token: string) => Promise<TokenScope[] | undefined>): Promise<TokenScope[] | undefined> {
    const key = createHash("sha256").update(token).digest("base64");
    const hit = this.entries.get(key);
    this.entries.delete(key);
    if (hit && hit.until > Date.now()) {
      this.entries.set(key, hit);
      return hit.scopes;
    }
    const scopes = await lookup(token);
    this.entries.set(key, { scopes, until: Date.now() + this.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
    return scopes;
  }
}
