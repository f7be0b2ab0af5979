import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { z, type ZodType } from "zod";
import type { TokenScope } from "@drumbeat/store";
import { ValidationError } from "../errors.ts";
import { requireScope } from "./auth.ts";

export interface RouteContext<Q, P, B> {
  query: Q;
  params: P;
  body: B;
  req: Request;
  res: Response;
}

export interface RouteDefinition<Q, P, B, R> {
  method: "get" | "post" | "delete";
  /** Express path, e.g. `/api/v1/deployments/:deploymentId`. */
  path: string;
  summary: string;
  tags: string[];
  /** Needed scope; `public` for health and the OpenAPI document. */
  scope: TokenScope | "public";
  query?: ZodType<Q>;
  params?: ZodType<P>;
  body?: ZodType<B>;
  /**
   * Run after the scope check, before validation: body parsers (and a webhook's signature
   * check), so that the body of a request without a valid token is never read.
   */
  before?: RequestHandler[];
  /** Documents a body the handler decodes itself (OpenAPI only, not validated here). */
  documentedBody?: ZodType;
  /** The media type of the documented body; application/json unless given. */
  documentedBodyType?: string;
  response: ZodType<R>;
  /** Status of a successful answer. */
  status?: number;
  handler: (context: RouteContext<Q, P, B>) => Promise<R>;
}

function parsePart<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(`invalid_${where}`, result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
  })));
}

/**
 * The API's routes. `define` mounts one: checks the scope, reads the body, validates query, params and
 * body with zod (400 naming each field path), runs the handler, and checks the answer
 * against its schema when `validateResponses` is on, so the OpenAPI document (built from
 * `routes`) cannot drift from what is served.
 */
export class ApiRouter {
  readonly router = express.Router();
  readonly routes: RouteDefinition<any, any, any, any>[] = [];

  constructor(private readonly validateResponses: boolean) {}

  define<Q, P, B, R>(route: RouteDefinition<Q, P, B, R>): void {
    this.routes.push(route);
    const validateResponses = this.validateResponses;
    const handle = async (req: Request, res: Response, next: NextFunction) => {
      try {
        const result = await route.handler({
          query: parsePart(route.query, req.query, "query"),
          params: parsePart(route.params, req.params, "params"),
          body: parsePart(route.body, req.body, "body"),
          req,
          res,
        });
        if (validateResponses) route.response.parse(result);
        // a handler that answers in another encoding (OTLP protobuf) has sent it already
        if (!res.headersSent) res.status(route.status ?? 200).json(result);
      } catch (error) {
        next(error);
      }
    };
    const guards = route.scope === "public" ? [] : [requireScope(route.scope)];
    this.router[route.method](route.path, ...guards, ...(route.before ?? []), handle);
  }
}

export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ index: z.number().optional(), path: z.string(), message: z.string() })).optional(),
});
