import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Store } from "../store.ts";

export const TokenScope = z.enum(["ingest", "read", "admin"]);
export type TokenScope = z.infer<typeof TokenScope>;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token; the clear text is returned once and only its hash is stored. */
export async function createToken(store: Store, name: string, scopes: TokenScope[]) {
  const token = `dbt_${randomBytes(24).toString("base64url")}`;
  const createdAt = new Date().toISOString();
  await store.insert("api_tokens", [{ token_hash: hashToken(token), name, scopes, created_at: createdAt }]);
  return { token, name, scopes, createdAt };
}

/** The scopes of a live token, or undefined for an unknown or revoked one. */
export async function tokenScopes(store: Store, token: string): Promise<TokenScope[] | undefined> {
  const [row] = await store.query({
    name: "tokens.lookup",
    sql: "SELECT scopes FROM api_tokens FINAL WHERE token_hash = {hash:String} AND revoked = 0",
    params: { hash: hashToken(token) },
    rows: z.object({ scopes: z.array(TokenScope) }),
  });
  return row?.scopes;
}
