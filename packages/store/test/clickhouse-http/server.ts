import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync, inflateSync, deflateSync } from "node:zlib";
import { Session } from "chdb";
import { detachStdinFromEngine } from "../../src/stdin.ts";

/**
 * The part of ClickHouse's HTTP interface that @clickhouse/client speaks, executed by the
 * real engine (chdb) on one data directory. Each request runs on a fresh connection, as
 * each HTTP request gets a fresh query context on a server: its database, settings and
 * `param_*` values never leak into the next request. What it does not emulate: README.md.
 */

/** Request parameters of the HTTP handler that are not settings. */
const HTTP_ONLY = new Set(["query", "database", "query_id", "default_format", "user", "password", "quota_key", "buffer_size", "wait_end_of_query"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The shape of @clickhouse/client's insert: INSERT INTO <table>[ (columns)] FORMAT <format>. */
const CLIENT_INSERT = /^\s*INSERT\s+INTO\s+([A-Za-z0-9_.]+)\s*(?:\(([A-Za-z0-9_,\s]*)\))?\s*FORMAT\s+(JSONEachRow|JSONCompactEachRow|CSV|CSVWithNames|TSV|TabSeparated|TSVWithNames|TabSeparatedWithNames)\s*$/i;
const MAX_CONCURRENT = 4;
const VERSION_SUFFIX = " (version chdb harness)";

/** HTTP status per exception name, as ClickHouse's exceptionCodeToHTTPStatus maps them. */
const STATUS_BY_ERROR: Record<string, number> = {
  REQUIRED_PASSWORD: 401,
  ...Object.fromEntries(["UNKNOWN_USER", "WRONG_PASSWORD", "AUTHENTICATION_FAILED", "SET_NON_GRANTED_ROLE", "ACCESS_DENIED"].map((n) => [n, 403])),
  ...Object.fromEntries(
    ["BAD_ARGUMENTS", "CANNOT_COMPILE_REGEXP", "CANNOT_PARSE_TEXT", "CANNOT_PARSE_ESCAPE_SEQUENCE", "CANNOT_PARSE_QUOTED_STRING",
      "CANNOT_PARSE_DATE", "CANNOT_PARSE_DATETIME", "CANNOT_PARSE_NUMBER", "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING", "CANNOT_PARSE_IPV4",
      "CANNOT_PARSE_IPV6", "CANNOT_PARSE_INPUT_ASSERTION_FAILED", "CANNOT_PARSE_UUID", "DUPLICATE_COLUMN", "ILLEGAL_COLUMN",
      "UNKNOWN_ELEMENT_IN_AST", "UNKNOWN_TYPE_OF_AST_NODE", "THERE_IS_NO_COLUMN", "TOO_DEEP_AST", "TOO_BIG_AST",
      "UNEXPECTED_AST_STRUCTURE", "SYNTAX_ERROR", "INCORRECT_DATA", "TYPE_MISMATCH", "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE"].map((n) => [n, 400]),
  ),
  ...Object.fromEntries(
    ["UNKNOWN_TABLE", "UNKNOWN_FUNCTION", "UNKNOWN_IDENTIFIER", "UNKNOWN_TYPE", "UNKNOWN_STORAGE", "UNKNOWN_DATABASE",
      "UNKNOWN_SETTING", "UNKNOWN_DIRECTION_OF_SORTING", "UNKNOWN_AGGREGATE_FUNCTION", "UNKNOWN_FORMAT",
      "UNKNOWN_DATABASE_ENGINE", "UNKNOWN_TYPE_OF_QUERY", "UNKNOWN_ROLE"].map((n) => [n, 404]),
  ),
  QUERY_IS_TOO_LARGE: 413,
  NOT_IMPLEMENTED: 501,
  SOCKET_TIMEOUT: 503,
  CANNOT_OPEN_FILE: 503,
  CANNOT_SCHEDULE_TASK: 503,
  TIMEOUT_EXCEEDED: 408,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** An exception as the server reports it: `Code: N. DB::Exception: message. (NAME)`. */
class HttpException extends Error {
  constructor(readonly code: number, readonly type: string, message: string) {
    super(`Code: ${code}. DB::Exception: ${message}. (${type})`);
  }
}

interface Outcome {
  body: Buffer;
  /** X-ClickHouse-Summary: only the counters the engine reports for this kind of request. */
  summary: Record<string, number>;
}

const DECOMPRESS: Record<string, (data: Buffer) => Buffer> = { gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync };
const COMPRESS: Record<string, (data: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

/** A ClickHouse string literal of a value (the one place the harness writes a value into SQL: SET param_x takes only literals). */
function stringLiteral(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const encoding = request.headers["content-encoding"];
  if (!encoding) return body;
  const decompress = DECOMPRESS[encoding];
  if (!decompress) throw new HttpException(48, "NOT_IMPLEMENTED", `the test harness does not decompress Content-Encoding ${encoding}`);
  return decompress(body);
}

/** A limit on concurrent engine work, like a server's max_concurrent_queries. */
function semaphore(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(run: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await run();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

export interface ClickHouseHttpServer {
  server: Server;
  close(): Promise<void>;
}

/** Serves ClickHouse's HTTP interface over the data directory; call listen() on `server`. */
export function createClickHouseHttpServer(dataDir: string): ClickHouseHttpServer {
  detachStdinFromEngine();
  const open = () => new Session(dataDir, { connectionArgs: ["--async_load_databases=0", "--async_load_system_database=0"] });
  // Held for the server's lifetime, so the engine stays up between requests.
  const anchor = open();
  const limit = semaphore(MAX_CONCURRENT);

  async function execute(search: URLSearchParams, body: Buffer): Promise<Outcome> {
    if (search.has("session_id")) throw new HttpException(48, "NOT_IMPLEMENTED", "the test harness does not emulate HTTP sessions (session_id)");
    const query = search.get("query") ?? "";
    const session = open();
    try {
      const database = search.get("database") ?? "default";
      if (!NAME.test(database)) throw new HttpException(81, "UNKNOWN_DATABASE", `Database ${database} does not exist`);
      await session.queryAsync(`USE ${database}`);
      const entries = [...search].filter(([key]) => !HTTP_ONLY.has(key));
      for (const [key] of entries) if (!NAME.test(key)) throw new HttpException(115, "UNKNOWN_SETTING", `Unknown setting '${key}'`);
      // Settings first, in one SET: a bound query replaces the connection's query parameters.
      const settings = entries.filter(([key]) => !key.startsWith("param_"));
      if (settings.length > 0) {
        await session.queryBindAsync(
          `SET ${settings.map(([key], i) => `${key} = {v${i}:String}`).join(", ")}`,
          Object.fromEntries(settings.map(([, value], i) => [`v${i}`, value])),
        );
      }
      const params = entries.filter(([key]) => key.startsWith("param_"));
      if (params.length > 0) await session.queryAsync(`SET ${params.map(([key, value]) => `${key} = ${stringLiteral(value)}`).join(", ")}`);
      const started = process.hrtime.bigint();
      const insert = body.length > 0 ? CLIENT_INSERT.exec(query) : null;
      if (insert) {
        const [, table, columns, format] = insert;
        const written = await session.insert({
          table: table!,
          columns: columns?.split(",").map((column) => column.trim()).filter(Boolean),
          values: body,
          format: format as "JSONEachRow",
        });
        return {
          body: Buffer.alloc(0),
          summary: { written_rows: written.rowsWritten, written_bytes: written.bytesWritten, elapsed_ns: Number(process.hrtime.bigint() - started) },
        };
      }
      // As the server does: the query parameter, then the body (an INSERT's data, or the whole query).
      const sql = query && body.length > 0 ? `${query}\n${body.toString("utf8")}` : query || body.toString("utf8");
      if (!sql.trim()) throw new HttpException(62, "SYNTAX_ERROR", "Empty query");
      const result = await session.queryAsync(sql, { format: search.get("default_format") ?? "TabSeparated" });
      const bytes = Buffer.from(result.bytes());
      return {
        body: bytes,
        summary: { read_rows: result.rowsRead, read_bytes: result.bytesRead, elapsed_ns: Math.round(result.elapsed * 1e9) },
      };
    } finally {
      session.close();
    }
  }

  function sendError(response: ServerResponse, error: unknown, queryId: string) {
    const raw = error instanceof Error ? error : new Error(String(error));
    const code = raw instanceof HttpException ? raw.code : Number((raw as { clickhouseCode?: number }).clickhouseCode ?? /Code: (\d+)/.exec(raw.message)?.[1] ?? 1001);
    const type = /\(([A-Z0-9_]{3,})\)\s*$/.exec(raw.message)?.[1] ?? "STD_EXCEPTION";
    const message = /^Code: \d+\./.test(raw.message) ? raw.message : `Code: ${code}. DB::Exception: ${raw.message}. (${type})`;
    response.writeHead(STATUS_BY_ERROR[type] ?? 500, {
      "Content-Type": "text/plain; charset=UTF-8",
      "X-ClickHouse-Exception-Code": String(code),
      "X-ClickHouse-Query-Id": queryId,
    });
    response.end(`${message}${VERSION_SUFFIX}\n`);
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://harness");
    const queryId = url.searchParams.get("query_id") || randomUUID();
    try {
      if (url.pathname === "/ping" || (url.pathname === "/" && request.method === "GET" && !url.searchParams.has("query"))) {
        response.writeHead(200, { "Content-Type": "text/html; charset=UTF-8" }).end("Ok.\n");
        return;
      }
      if (url.pathname !== "/") throw new HttpException(48, "NOT_IMPLEMENTED", `the test harness serves / and /ping only, not ${url.pathname}`);
      if (request.headers["content-type"]?.startsWith("multipart/form-data")) {
        throw new HttpException(48, "NOT_IMPLEMENTED", "the test harness does not read multipart bodies (use_multipart_params)");
      }
      const body = await readBody(request);
      const outcome = await limit(() => execute(url.searchParams, body));
      const headers: Record<string, string> = {
        "Content-Type": "text/plain; charset=UTF-8",
        "X-ClickHouse-Query-Id": queryId,
        "X-ClickHouse-Server-Display-Name": "drumbeat-clickhouse-http-harness",
        "X-ClickHouse-Summary": JSON.stringify(Object.fromEntries(Object.entries(outcome.summary).map(([k, v]) => [k, String(v)]))),
      };
      let payload = outcome.body;
      // Compressed only when asked twice, as the server does: the setting and Accept-Encoding.
      const accepted = String(request.headers["accept-encoding"] ?? "").split(",").map((e) => e.trim()).find((e) => e in COMPRESS);
      if (url.searchParams.get("enable_http_compression") === "1" && accepted) {
        payload = COMPRESS[accepted]!(payload);
        headers["Content-Encoding"] = accepted;
      }
      response.writeHead(200, headers).end(payload);
    } catch (error) {
      sendError(response, error, queryId);
    }
  }

  // ClickHouse accepts URIs up to http_max_uri_size (1 MiB): bound parameters travel in the URL.
  const server = createServer({ maxHeaderSize: 1 << 20 }, (request, response) => void handle(request, response));
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          anchor.close();
          resolve();
        });
      }),
  };
}
