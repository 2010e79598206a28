"use strict";
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, APP_ID, APP_SECRET, TOKEN, USER_ID } = require("./support");

const MAX_PROVIDER_BYTES = 8 * 1024;
const ACCESS_CODE = "SeCr3tAc";
const ORIGINAL_CODE = "0r1g1nAl";
let secretiveShareId;
let upOutput = "";

let f;
before(async () => {
  f = await engineFixture({ projectName: "secrets" });
  // App credentials in the environment take precedence over the token in stack config (which the engine still stores
  // in state): neither may leak.
  const appCredentials = { KOODRIVE_APP_ID: APP_ID, KOODRIVE_APP_SECRET: APP_SECRET };
  Object.assign(f.stack.workspace.envVars, appCredentials);
  // The inline program runs in this process: give it the environment the CLI's program would share with the provider.
  Object.assign(process.env, appCredentials);
  const share = f.emulator.seedShare({ ownerId: USER_ID, extractCode: ORIGINAL_CODE });
  const unmanaged = f.emulator.seedShare({ ownerId: USER_ID, extractCode: "UnMan4g3" });
  secretiveShareId = share.shareId;
  f.desired.secretive = { shareId: share.shareId, validDays: 3, extractCode: ACCESS_CODE, comment: "c", onDelete: "restore" };
  // extractCode not declared: the code KooDrive returns must still be stored as a secret.
  f.desired.unmanaged = { shareId: unmanaged.shareId, validDays: 3 };
  const up = await f.stack.up();
  upOutput = `${up.stdout}\n${up.stderr}`;
  await f.stack.refresh();
});
after(() => f.close());

test("the token in stack config, unused while app credentials are in the environment, is warned about", () => {
  assert.match(upOutput, /warning: stack config koodrive:accessToken is not used: KooDrive credentials of the other kind are set in the environment/);
  assert.equal(upOutput.includes(TOKEN), false);
});

test("pulumi stack export holds no access code, token or app secret in plaintext", () => {
  const exported = f.handle.exportPlain();
  for (const secret of [ACCESS_CODE, ORIGINAL_CODE, "UnMan4g3", TOKEN, APP_SECRET]) {
    assert.equal(exported.includes(secret), false, `${secret.slice(0, 2)}… found in pulumi stack export`);
  }
  const state = JSON.parse(exported);
  const res = state.deployment.resources.find((r) => r.urn.endsWith("::secretive"));
  assert.equal(res.type, "pulumi-nodejs:dynamic/koodrive:ShareSettings");
  assert.ok(res.outputs.extractCode.ciphertext, "extractCode output is a secret");
  assert.ok(res.inputs.extractCode.ciphertext, "extractCode input is a secret even though the program passed it in plaintext");
  assert.ok(res.outputs.originals.ciphertext, "the remembered original settings are a secret");
  assert.ok(res.inputs.originals.ciphertext, "the originals are among the inputs, as a secret");
  const originals = state.deployment.resources.find((r) => r.urn.endsWith("::secretive-originals"));
  assert.equal(originals.type, "pulumi-nodejs:dynamic/koodrive:ShareOriginals");
  assert.ok(originals.outputs.originals.ciphertext, "the ShareOriginals resource keeps them as a secret");
  const unmanaged = state.deployment.resources.find((r) => r.urn.endsWith("::unmanaged"));
  assert.ok(unmanaged.outputs.extractCode.ciphertext, "an unmanaged access code read from KooDrive is a secret too");
});

test("no backend file (state, backups, history) holds a secret in plaintext", () => {
  const files = f.handle.rawBackendFiles();
  for (const secret of [ACCESS_CODE, ORIGINAL_CODE, "UnMan4g3", TOKEN, APP_SECRET]) {
    assert.equal(files.includes(secret), false, `${secret.slice(0, 2)}… found in the backend files`);
  }
});

test("the serialized provider per resource is small and captures no credential, schema or client", () => {
  const state = JSON.parse(f.handle.exportPlain());
  const dynamic = state.deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
  assert.equal(dynamic.length, 3);
  for (const r of dynamic) {
    const text = r.outputs.__provider;
    assert.equal(typeof text, "string", "__provider is stored as plain text (it captured no secret Output)");
    const bytes = Buffer.byteLength(text, "utf8");
    console.log(`serialized provider for ${r.urn.split("::").pop()}: ${bytes} bytes`);
    assert.ok(bytes < MAX_PROVIDER_BYTES, `provider closure is ${bytes} bytes`);
    assert.match(text, /require\("pulumi-koodrive\/provider-impl"\)/);
    assert.doesNotMatch(text, /zod|axios|Bearer|HMAC|KOODRIVE_|127\.0\.0\.1/);
  }
});

test("preview and up output never show the access code", async () => {
  f.desired.secretive = { ...f.desired.secretive, extractCode: "Ch4ng3d0" };
  const preview = await f.stack.preview({ diff: true });
  const up = await f.stack.up({ diff: true });
  for (const text of [preview.stdout, preview.stderr, up.stdout, up.stderr]) {
    for (const secret of ["Ch4ng3d0", ACCESS_CODE, TOKEN]) assert.equal(text.includes(secret), false);
  }
  assert.match(preview.stdout, /extractCode\s*: \[secret\]/);
  // Pulumi shows the secret as unchanged ("extractCode: [secret]", no "[diff: ~extractCode]"): a notice says what changes.
  assert.match(`${preview.stdout}\n${preview.stderr}`, /koodrive: share \d+: the access code differs from the declared one: `pulumi up` sets it/);
  // If a Pulumi release starts showing it, the notice and the README's words about it are stale.
  for (const text of [preview.stdout, up.stdout]) assert.doesNotMatch(text, /~ extractCode|\[diff: [^\]]*extractCode/);
});

test("a refresh of a restoring share edited by hand shows the edit, not its originals; so does the preview after it", async () => {
  f.emulator.changeShare(secretiveShareId, { comment: "edited by hand" });
  const refreshed = await f.stack.refresh();
  assert.match(refreshed.stdout, /secretive\s+updated \([\d.]+s\) \[diff: ~comment\]/);
  assert.doesNotMatch(refreshed.stdout, /\[diff: [^\]]*originals/);
  const preview = await f.stack.preview({ diff: true });
  assert.match(preview.stdout, /~ comment\s*: "edited by hand" => "c"/);
  assert.doesNotMatch(preview.stdout, /[-+~] originals|\[diff: [^\]]*originals/);
  // One hand edit, told once: as drift in the refresh and the preview, not again by a notice.
  assert.doesNotMatch(`${refreshed.stdout}${preview.stdout}`, /changed since this resource last applied/);
  // The refresh stored the edit among the inputs, with the access code and the originals still secrets.
  const exported = f.handle.exportPlain();
  for (const secret of [ACCESS_CODE, ORIGINAL_CODE]) assert.equal(exported.includes(secret), false, `${secret.slice(0, 2)}… found in pulumi stack export`);
  const { inputs } = JSON.parse(exported).deployment.resources.find((r) => r.urn.endsWith("::secretive"));
  assert.equal(inputs.comment, "edited by hand");
  assert.ok(inputs.extractCode.ciphertext, "the access code input is a secret");
  assert.ok(inputs.originals.ciphertext, "the refresh kept the originals among the inputs, as a secret");
});

test("an access code changed by hand is named at preview --refresh, without either code", async () => {
  f.emulator.changeShare(secretiveShareId, { extractCode: "H4ndEd1t" });
  const preview = await f.stack.preview({ refresh: true });
  const text = `${preview.stdout}\n${preview.stderr}`;
  assert.match(text, new RegExp(`koodrive: share ${secretiveShareId}: the access code differs from the declared one: \`pulumi up\` sets it`));
  for (const secret of ["H4ndEd1t", "Ch4ng3d0"]) assert.equal(text.includes(secret), false);
});
