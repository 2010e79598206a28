"use strict";
// KooDriveShare on the real engine against the enterprise edition: scope 2 (enterprise users) is created, and no
// X-Hw-Agentname is needed by the server.
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { shareStack } = require("./shareSupport");

let f;
before(async () => {
  f = await shareStack({ projectName: "share-enterprise", edition: "enterprise" });
  f.desired.internal = {
    kind: "share",
    args: { fileIds: ["FileInternal1"], containerId: "IAAB5thdWzxEoAsiA1681759183084696448", scope: 2, validDays: 14, comment: "staff only" },
  };
});
after(() => f.close());

test("scope 2 is created on the enterprise edition, updated with one PUT, cancelled on destroy", async () => {
  const up = await f.stack.up();
  assert.deepEqual(up.summary.resourceChanges, { create: 2 });
  const id = up.outputs.internalId.value;
  assert.equal(f.emulator.getShare(id).scope, 2);
  f.desired.internal.args = { ...f.desired.internal.args, comment: "staff only, Q4" };
  f.emulator.requests.clear();
  await f.stack.up();
  assert.deepEqual(
    f.puts().map((r) => r.body),
    [{ validDays: 14, comment: "staff only, Q4" }],
  );
  await f.stack.destroy();
  assert.equal(f.emulator.getShare(id), undefined);
});

test("the same program on the carrier edition fails preview naming scope and the edition's values", async () => {
  await f.stack.setConfig("koodrive:edition", { value: "carrier" });
  await assert.rejects(
    f.stack.preview(),
    /scope must be 1 \(anyone with the link\) or 3 \(specified enterprise users\) on the carrier edition, got another number/,
  );
});
