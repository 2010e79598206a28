"use strict";
const assert = require("node:assert/strict");
const { after, before, describe, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

describe("invalid inputs", () => {
  let f;
  before(async () => {
    f = await engineFixture({ projectName: "invalid" });
  });
  after(() => f.close());

  test("preview fails naming each bad property, and nothing is sent", async () => {
    f.desired.bad = { shareId: "", validDays: 400, extractCode: "abc", comment: "x".repeat(600) };
    /** @type {any} */
    let error;
    try {
      await f.stack.preview();
    } catch (e) {
      error = e;
    }
    assert.ok(error, "preview must fail");
    const text = `${error.message}\n${error.stdout ?? ""}\n${error.stderr ?? ""}`;
    for (const rule of [
      /shareId must be 1 to 64 characters/,
      /validDays must be an integer from 0 to 365 \(0 = no validity period\), got a larger number/,
      /extractCode must be exactly 8 characters from \[0-9a-zA-Z\]/,
      /comment must be shorter than 512 characters/,
    ]) {
      assert.match(text, rule);
    }
    assert.equal(text.includes('"abc"'), false, "the rejected access code is not echoed");
    assert.equal(f.emulator.requests.all().length, 0);
  });
});

describe("HMAC app auth and onDelete restore", () => {
  let f;
  let share;
  before(async () => {
    f = await engineFixture({ projectName: "appauth", auth: "app" });
    share = f.emulator.seedShare({ ownerId: USER_ID, comment: "as it was", extractCode: "WASa1234", validDays: 20 });
  });
  after(() => f.close());

  test("up signs every request with HMAC-SHA256 app auth", async () => {
    f.desired.restored = { shareId: share.shareId, validDays: 2, extractCode: "NEWb5678", comment: "temporary", onDelete: "restore" };
    const up = await f.stack.up();
    // The stack, the companion ShareOriginals resource (which read the originals) and the settings.
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    const requests = f.emulator.requests.all();
    assert.deepEqual(
      requests.map((r) => [r.method, r.status, r.auth]),
      [
        ["GET", 200, "app"],
        ["PUT", 200, "app"],
      ],
    );
    assert.match(requests[1].headers.authorization, /^HMAC-SHA256 AppId=engine-app-0001,SignedHeaders=host;x-date;x-user-id,Signature=\[REDACTED\]$/);
  });

  test("destroy with onDelete restore puts the original settings back", async () => {
    f.emulator.requests.clear();
    await f.stack.destroy();
    const puts = f.puts();
    assert.equal(puts.length, 1);
    assert.deepEqual(puts[0].body, { validDays: 20, extractCode: "WASa1234", comment: "as it was" });
    assert.deepEqual(
      { comment: f.emulator.getShare(share.shareId).comment, extractCode: f.emulator.getShare(share.shareId).extractCode },
      { comment: "as it was", extractCode: "WASa1234" },
    );
    const hoursOff = Math.abs(Date.parse(f.emulator.getShare(share.shareId).expireTime) - Date.parse(share.expireTime)) / 3.6e6;
    assert.ok(hoursOff < 24, `restored expiry within a day of the original (off by ${hoursOff.toFixed(2)} h)`);
  });
});

describe("adopting a share that does not exist", () => {
  let f;
  before(async () => {
    f = await engineFixture({ projectName: "missing" });
  });
  after(() => f.close());

  test("up fails naming the shareId and writes nothing", async () => {
    f.desired.ghost = { shareId: "1111111111111111111", validDays: 1, comment: "x" };
    await assert.rejects(f.stack.up(), new RegExp(`KooDrive share 1111111111111111111 was not found, or is not owned by user ${USER_ID}`));
    // Adoption is the PUT itself (KooDrive answers 13000309 for a missing share): one refused request, nothing written.
    assert.deepEqual(
      f.emulator.requests.all().map((r) => `${r.method} ${r.status}`),
      ["PUT 400"],
    );
    const state = JSON.parse(f.handle.exportPlain());
    assert.equal(
      (state.deployment.resources ?? []).some((r) => r.type.includes("ShareSettings")),
      false,
    );
  });
});

describe("a share stopped outside Pulumi", () => {
  let f;
  before(async () => {
    f = await engineFixture({ projectName: "stopped" });
  });
  after(() => f.close());

  test("refresh drops it from state without sending anything", async () => {
    const share = f.emulator.seedShare({ ownerId: USER_ID });
    f.desired.gone = { shareId: share.shareId, validDays: 3 };
    await f.stack.up();
    await fetch(`${f.emulator.url}/__admin/shares/${share.shareId}`, { method: "DELETE" });
    f.emulator.requests.clear();
    const refresh = await f.stack.refresh();
    assert.deepEqual(refresh.summary.resourceChanges, { same: 1, delete: 1 });
    assert.deepEqual(
      f.emulator.requests.all().map((r) => `${r.method} ${r.status}`),
      ["GET 400"],
    );
    const state = JSON.parse(f.handle.exportPlain());
    assert.equal(
      state.deployment.resources.some((r) => r.type.includes("ShareSettings")),
      false,
    );
  });
});
