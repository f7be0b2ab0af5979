import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCollectorsConfig } from "../src/index.ts";
import { environmentOf, repositoryTarget, serviceTarget } from "../src/targets.ts";
import { config } from "./helpers.ts";

describe("collectors configuration", () => {
  const dir = mkdtempSync(join(tmpdir(), "drumbeat-collectors-"));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };

  it("reads the file and lets DRUMBEAT_<SOURCE>_SECRET override its secrets", () => {
    const path = file("ok.json", { repositories: { "acme/shop": { service: "shop", team: "t" } }, secrets: { github: "from-file", gitlab: "gl" } });
    const loaded = loadCollectorsConfig({ DRUMBEAT_COLLECTORS_CONFIG: path, DRUMBEAT_GITHUB_SECRET: "from-env" });
    assert.deepEqual(loaded.secrets, { github: "from-env", gitlab: "gl" });
    assert.deepEqual(loaded.repositories["acme/shop"], { service: "shop", team: "t" });
    assert.equal(loaded.defaultEnvironment, "production");
    assert.deepEqual(loadCollectorsConfig({}).secrets, {});
  });

  it("stops on a bad file, naming the variable and the field", () => {
    assert.throws(() => loadCollectorsConfig({ DRUMBEAT_COLLECTORS_CONFIG: join(dir, "missing.json") }), /DRUMBEAT_COLLECTORS_CONFIG: cannot read/);
    assert.throws(() => loadCollectorsConfig({ DRUMBEAT_COLLECTORS_CONFIG: file("bad.json", { github: { deploymentWorkflows: "(" } }) }), /github\.deploymentWorkflows: not a valid regular expression/);
    assert.throws(() => loadCollectorsConfig({ DRUMBEAT_COLLECTORS_CONFIG: file("typo.json", { repos: {} }) }), /repos/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("maps environment names, repositories and services with their fallbacks", () => {
    const cfg = config({ environments: { "prod-eu": "production" }, services: { "Checkout API": { service: "checkout" } } });
    assert.deepEqual(["PRD", "prod-eu", "Stage", "qa-7"].map((name) => environmentOf(cfg, name)), ["production", "production", "staging", "qa-7"]);
    assert.equal(environmentOf(cfg, "eu-1", "production"), "production");
    assert.equal(environmentOf(cfg, undefined), "production");
    assert.deepEqual(repositoryTarget(cfg, "acme/platform/search"), { service: "search" });
    assert.deepEqual(serviceTarget(cfg, "unknown", "Checkout API"), { service: "checkout" });
    assert.deepEqual(serviceTarget(cfg, "", "pig208"), { service: "pig208" });
    assert.equal(serviceTarget(cfg, "", null), undefined);
  });
});
