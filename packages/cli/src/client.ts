import { CliError } from "./errors.ts";

/** Where the API is and how to authenticate: DRUMBEAT_URL and DRUMBEAT_TOKEN, or flags. */
export interface ApiTarget {
  url: string;
  token?: string;
}

export function apiTargetFromEnv(flags: { url?: string; token?: string } = {}, env = process.env): ApiTarget {
  return {
    url: (flags.url ?? env.DRUMBEAT_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, ""),
    token: flags.token ?? env.DRUMBEAT_TOKEN ?? undefined,
  };
}

/** Calls the API; network failures and error answers become CliErrors that say what happened. */
export async function callApi<T>(target: ApiTarget, method: string, path: string, body?: { json?: unknown; ndjson?: string; xml?: string }): Promise<T> {
  const headers: Record<string, string> = {};
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  let payload: string | undefined;
  if (body?.json !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body.json);
  } else if (body?.ndjson !== undefined) {
    headers["content-type"] = "application/x-ndjson";
    payload = body.ndjson;
  } else if (body?.xml !== undefined) {
    headers["content-type"] = "application/xml";
    payload = body.xml;
  }
  let response: Response;
  try {
    response = await fetch(target.url + path, { method, headers, body: payload });
  } catch (error) {
    // fetch says only "fetch failed"; the cause has the reason (ECONNREFUSED, or "bad port" for ports fetch refuses).
    const reason = (error as { cause?: { code?: string; message?: string } }).cause;
    const cause = reason?.code ?? reason?.message ?? (error as Error).message;
    throw new CliError(`cannot reach the Drumbeat API at ${target.url} (${cause}); is it running? set DRUMBEAT_URL`);
  }
  const text = await response.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const issues = Array.isArray(parsed?.issues)
      ? "\n" + parsed.issues.map((i: any) => `  ${i.index !== undefined ? `event ${i.index}: ` : ""}${i.path || "(event)"}: ${i.message}`).join("\n")
      : "";
    throw new CliError(`${method} ${path} failed with ${response.status}: ${parsed?.message ?? text.slice(0, 200)}${issues}`);
  }
  return parsed as T;
}
