import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireTestServer } from "../../../packages/store/test/backend.ts";
import { apiConfigFromEnv, startApi, type ApiConfigInput, type RunningApi } from "../src/index.ts";

export interface TestApi extends RunningApi {
  dataDir: string;
  /** fetch against the API, JSON in and out. */
  call(path: string, init?: RequestInit & { json?: unknown; token?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  dispose(): Promise<void>;
}

/**
 * A real API on a loopback port over a fresh store on the test backend
 * (packages/store/test/backend.ts): the embedded engine, or a server in a database of its
 * own. One per test file: the embedded engine is one per process.
 */
export async function startTestApi(name: string, overrides: Partial<ApiConfigInput> = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), `drumbeat-api-${name}-`));
  const server = await acquireTestServer();
  const config = apiConfigFromEnv({ ...process.env, DRUMBEAT_AUTH: "off", LOG_LEVEL: "silent" }, {
    port: 0,
    host: "127.0.0.1",
    // Answers from complete facts, however slow a busy machine builds them; the analysis
    // tests hold a build back on purpose to test answers from the previous build.
    doraBuildWaitMs: 3_600_000,
    store: { dataDir, database: `drumbeat_${name}_${process.pid}`, url: server.url },
    ...overrides,
  });
  const api = await startApi(config);
  return {
    ...api,
    dataDir,
    async call(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.json !== undefined) headers.set("content-type", "application/json");
      if (init.token) headers.set("authorization", `Bearer ${init.token}`);
      const response = await fetch(api.url + path, {
        ...init,
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body, headers: response.headers };
    },
    async dispose() {
      if (api.store.backend === "server") await api.store.command("test.drop", `DROP DATABASE IF EXISTS ${api.store.database}`);
      await api.close();
      await server.release();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
