import { createToken } from "@drumbeat/store";
import { startTestApi, type TestApi } from "../helpers.ts";
import { FUZZ_SECRETS, type FuzzApi } from "./harness.ts";

/** Runs per target and seed: small by default so the suite stays quick; DRUMBEAT_FUZZ_RUNS for a longer hunt. */
export const FUZZ_RUNS = Number(process.env.DRUMBEAT_FUZZ_RUNS) || 25;
export const FUZZ_SEED = Number(process.env.DRUMBEAT_FUZZ_SEED) || 20261129;

/** A real API with auth on, every webhook secret set, and an admin token for the fuzz. */
export async function startFuzzApi(name: string): Promise<{ api: TestApi; fuzz: FuzzApi }> {
  const api = await startTestApi(name, { auth: "on", collectors: { secrets: FUZZ_SECRETS } });
  const { token } = await createToken(api.store, "fuzz", ["admin"]);
  return { api, fuzz: { url: api.url, store: api.store, token } };
}
