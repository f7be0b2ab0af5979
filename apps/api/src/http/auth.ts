import type { NextFunction, Request, Response } from "express";
import { tokenScopes, type Store, type TokenScope } from "@drumbeat/store";
import { HttpError } from "../errors.ts";
import type { TokenCache } from "./tokenCache.ts";

/** What the auth middleware needs, set on app.locals by createApp. */
export interface AuthSettings {
  enabled: boolean;
  store: Store;
  tokens: TokenCache;
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
      const scopes = await auth.tokens.scopesOf(match[1], (token) => tokenScopes(auth.store, token));
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
