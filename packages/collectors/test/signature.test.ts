import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hmacSha256Hex, safeEqual } from "../src/index.ts";
import { hmacMatches, verifyHexHmac, verifyPrefixedHmac, verifyToken, verifyVersionedHmacList } from "../src/signature.ts";

const body = Buffer.from('{"hello":"world"}');

describe("signatures", () => {
  it("computes GitHub's documented example signature", () => {
    // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!".
    assert.equal(hmacSha256Hex("It's a Secret to Everybody", Buffer.from("Hello, World!")),
      "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  });

  it("accepts the right HMAC and refuses a wrong secret, a changed body or a missing header", () => {
    const signature = `sha256=${hmacSha256Hex("s3cret", body)}`;
    assert.equal(verifyPrefixedHmac("sha256=", "s3cret", body, signature), true);
    assert.equal(verifyPrefixedHmac("sha256=", "other", body, signature), false);
    assert.equal(verifyPrefixedHmac("sha256=", "s3cret", Buffer.from('{"hello":"World"}'), signature), false);
    assert.equal(verifyPrefixedHmac("sha256=", "s3cret", body, undefined), false);
    assert.equal(verifyPrefixedHmac("sha256=", "s3cret", body, hmacSha256Hex("s3cret", body)), false, "prefix required");
  });

  it("accepts any of PagerDuty's v1 signatures (secret rotation)", () => {
    const good = hmacSha256Hex("new", body);
    assert.equal(verifyVersionedHmacList("new", body, `v1=${"0".repeat(64)},v1=${good}`), true);
    assert.equal(verifyVersionedHmacList("new", body, `v2=${good}`), false);
    assert.equal(verifyVersionedHmacList("new", body, ""), false);
  });

  it("compares bare hex HMACs case-insensitively and tokens exactly", () => {
    assert.equal(verifyHexHmac("k", body, hmacSha256Hex("k", body).toUpperCase()), true);
    assert.equal(verifyHexHmac("k", body, ""), false);
    assert.equal(hmacMatches("k", body, ["nope"]), false);
    assert.equal(verifyToken("t0ken", "t0ken"), true);
    assert.equal(verifyToken("t0ken", "Bearer t0ken"), true);
    assert.equal(verifyToken("t0ken", "t0ken "), false);
    assert.equal(verifyToken("t0ken", undefined), false);
    assert.equal(safeEqual("a", "ab"), false);
  });
});
