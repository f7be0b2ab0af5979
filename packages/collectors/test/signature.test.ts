import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hmacSha256Hex, safeEqual } from "../src/index.ts";
import { hmacMatches, verifyHexHmac, verifyPrefixedHmac, verifySharedToken, verifyToken, verifyVersionedHmacList } from "../src/signature.ts";

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

describe("signatures and tokens: near misses are refused", () => {
  const secret = "s3cret";
  const hex = hmacSha256Hex(secret, body);
  /** Values that differ from a good one by a little: each must be refused. */
  const nearMisses = (good: string) => ({
    truncated: good.slice(0, -1),
    extended: `${good}0`,
    "one character changed": good.slice(0, -1) + (good.endsWith("0") ? "1" : "0"),
    empty: "",
    "its first half": good.slice(0, good.length / 2),
  });

  for (const [name, value] of Object.entries(nearMisses(hex))) {
    it(`refuses a ${name} HMAC in every header format`, () => {
      assert.equal(verifyPrefixedHmac("sha256=", secret, body, `sha256=${value}`), false);
      assert.equal(verifyVersionedHmacList(secret, body, `v1=${value}`), false);
      assert.equal(verifyHexHmac(secret, body, value), false);
      assert.equal(hmacMatches(secret, body, [value]), false);
    });
  }

  for (const [name, value] of Object.entries(nearMisses("t0ken-Abc"))) {
    it(`refuses a ${name} token`, () => {
      assert.equal(verifyToken("t0ken-Abc", value), false);
      assert.equal(verifyToken("t0ken-Abc", `Bearer ${value}`), false);
      assert.equal(verifySharedToken("t0ken-Abc", { "x-drumbeat-token": value }), false);
    });
  }

  it("refuses a token in another case, and a prefix in another case, but reads hex in either case", () => {
    assert.equal(verifyToken("t0ken-Abc", "T0KEN-ABC"), false);
    assert.equal(verifyToken("t0ken-Abc", "t0ken-abc"), false);
    assert.equal(verifyPrefixedHmac("sha256=", secret, body, `SHA256=${hex}`), false);
    assert.equal(verifyPrefixedHmac("sha256=", secret, body, `sha256=${hex.toUpperCase()}`), true);
    assert.equal(verifyVersionedHmacList(secret, body, `V1=${hex}`), false);
  });

  it("refuses an empty secret's HMAC and a token when the secret is another", () => {
    assert.equal(verifyHexHmac(secret, body, hmacSha256Hex("", body)), false);
    assert.equal(verifyToken("t0ken-Abc", "t0ken-Abd"), false);
    assert.equal(verifySharedToken("t0ken-Abc", {}), false);
    assert.equal(verifySharedToken("t0ken-Abc", { authorization: "Bearer t0ken-Abc" }), true);
    assert.equal(verifySharedToken("t0ken-Abc", { "x-drumbeat-token": "t0ken-Abc" }), true);
  });

  it("refuses a missing header, an empty token even for an empty secret, and Bearer anywhere but in front", () => {
    assert.equal(verifyHexHmac(secret, body, undefined), false);
    assert.equal(verifyVersionedHmacList(secret, body, undefined), false);
    assert.equal(verifyToken("", ""), false);
    assert.equal(verifyToken("t0ken-Abc", "xBearer t0ken-Abc"), false);
    assert.equal(verifyToken("t0ken-Abc", "t0kBearer en-Abc"), false);
    assert.equal(verifyToken("t0ken-Abc", "Bearer  t0ken-Abc"), true);
    assert.equal(hmacMatches(secret, body, [` ${hex.toUpperCase()} `]), true);
  });

  it("accepts one good signature among several, and none among only bad ones", () => {
    assert.equal(verifyVersionedHmacList(secret, body, `v1=${hex.slice(1)}, v1=${hex}`), true);
    assert.equal(verifyVersionedHmacList(secret, body, `v1=${hex.slice(1)}, v1=${hex}0`), false);
    assert.equal(verifyVersionedHmacList(secret, body, `v1=`), false);
  });
});
