import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { API_SCHEMA_FILE, generateApiTypes } from "../scripts/apiTypes.ts";

test("the dashboard's response types match the API's OpenAPI document (npm run api-types -w @drumbeat/web)", async () => {
  assert.equal(readFileSync(API_SCHEMA_FILE, "utf8"), await generateApiTypes(), "lib/api-schema.ts is stale: run `npm run api-types -w @drumbeat/web`");
});
