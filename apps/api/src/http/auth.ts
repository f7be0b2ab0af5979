import type { NextFunction, Request, Response } from "express";
import { tokenScopes, type Store, type TokenScope } from "@drumbeat/store";
import { HttpError } from "../errors.ts";

/** What the auth middleware needs, set on app.locals by createApp. */
export interface AuthSettings {
  enabled: boolean;
  store: Store;
}

const CACHE_MS = 30_000;
const cache = new Map<string, { scopes: TokenScope[] | undefined; until: number }>();

async function scopesOf(store: Store, token: string): Promise<TokenScope[] | undefined> {
  const hit = cache.get(token);
  if (hit && hit.until > Date.now()) return hit.scopes;
  const scopes = await tokenScopes(store, token);
  cache.set(token, { scopes, until: Date.now() + CACHE_MS });
  return scopes;
}

/** Bearer-token check: `admin` implies every scope; anything else must be granted by name. */
export function requireScope(scope: TokenScope) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const auth = req.app.locals.auth as AuthSettings;
    if (!auth.enabled) return next();
    try {
      const header = req.get("authorization") ?? "";
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw new HttpError(401, "unauthorized", "send `Authorization: Bearer <token>`");
      const scopes = await scopesOf(auth.store, match[1]);
      if (!scopes) throw new HttpError(401, "unauthorized", "unknown or revoked token");
      if (!scopes.includes(scope) && !scopes.includes("admin")) {
        throw new HttpError(403, "forbidden", `this token lacks the '${scope}' scope`);
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
