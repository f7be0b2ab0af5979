import { z, type ZodType } from "zod";
import { ErrorBody, type ApiRouter } from "../http/route.ts";

function jsonSchema(schema: ZodType, io: "input" | "output") {
  return z.toJSONSchema(schema, { io, unrepresentable: "any", target: "openapi-3.0" });
}

/** Express `/a/:b` becomes OpenAPI `/a/{b}`. */
const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");

function queryParameters(schema: ZodType | undefined, location: "query" | "path") {
  if (!schema) return [];
  const json = jsonSchema(schema, "input") as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** The OpenAPI 3 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(api: ApiRouter) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of api.routes) {
    const body = route.body ?? route.documentedBody;
    (paths[toOpenApiPath(route.path)] ??= {})[route.method] = {
      summary: route.summary,
      tags: route.tags,
      security: route.scope === "public" ? [] : [{ bearer: [route.scope] }],
      parameters: [...queryParameters(route.query, "query"), ...queryParameters(route.params, "path")],
      ...(body ? { requestBody: { required: true, content: { [route.documentedBodyType ?? "application/json"]: { schema: jsonSchema(body, "input") } } } } : {}),
      responses: {
        [String(route.status ?? 200)]: { description: "OK", content: { "application/json": { schema: jsonSchema(route.response, "output") } } },
        default: { description: "Error", content: { "application/json": { schema: jsonSchema(ErrorBody, "output") } } },
      },
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: "Drumbeat API", version: "1", description: "Deployment events and DORA metrics" },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "scopes: ingest, read, admin" } } },
    paths,
  };
}

export function openApiRoute(api: ApiRouter) {
  api.router.get("/api/openapi.json", (_req, res) => {
    res.json(buildOpenApiDocument(api));
  });
}
