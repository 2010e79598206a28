// KooDrive over https, as users reach it: through a corporate proxy's CONNECT tunnel, with the certificate authority
// of a TLS-inspecting proxy or a private endpoint added by NODE_EXTRA_CA_CERTS in the engine's environment (the
// provider processes read it when they start). App auth signs the Host header, which an https endpoint on a
// non-default port must carry with its port.
"use strict";
const assert = require("node:assert/strict");
const { after, before, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");
const { startConnectProxy } = require("../support/connectProxy");
const { TLS_FIXTURES } = require("../support/tlsFixtures");

const ORIGINAL = { comment: "before Pulumi", extractCode: "Orig1234" };

let f;
let proxy;
before(async () => {
  proxy = await startConnectProxy();
  f = await engineFixture({
    projectName: "tls",
    auth: "app",
    emulatorOptions: { tls: TLS_FIXTURES.serverTls() },
    env: { NODE_EXTRA_CA_CERTS: TLS_FIXTURES.caFile },
  });
  await f.stack.setConfig("koodrive:proxy", { value: proxy.url });
});
after(async () => {
  await f.close();
  await proxy.close();
});

/**
 * Declares only a new restoring share `name` and runs an up that must fail before anything reaches KooDrive; returns
 * the share and everything the failed up said.
 */
async function failedUpOfNewShare(name) {
  const share = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
  for (const key of Object.keys(f.desired)) delete f.desired[key];
  f.desired[name] = { shareId: share.shareId, comment: "declared", validDays: 5, onDelete: "restore" };
  f.emulator.requests.clear();
  /** @type {any} */
  let error;
  try {
    await f.stack.up();
  } catch (e) {
    error = e;
  }
  assert.ok(error, "up must fail");
  assert.equal(f.emulator.requests.all().length, 0, "nothing reached KooDrive");
  assert.equal(f.emulator.getShare(share.shareId).comment, ORIGINAL.comment);
  return { share, text: `${error.message}\n${error.stdout ?? ""}\n${error.stderr ?? ""}` };
}

test("up, refresh and destroy of a restoring share over https through a CONNECT proxy, trusting the CA from NODE_EXTRA_CA_CERTS", async () => {
  assert.match(f.emulator.url, /^https:\/\//);
  const share = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 20 });
  f.desired.report = { shareId: share.shareId, comment: "over tls", extractCode: "Tls12345", validDays: 5, onDelete: "restore" };
  await f.stack.up();
  assert.equal(f.emulator.getShare(share.shareId).comment, "over tls");
  f.emulator.changeShare(share.shareId, { comment: "edited by hand" });
  const refresh = await f.stack.refresh();
  assert.equal(refresh.summary.resourceChanges?.update, 1, "the refresh read the hand edit");
  await f.stack.up();
  await f.stack.destroy();
  const restored = f.emulator.getShare(share.shareId);
  assert.deepEqual({ comment: restored.comment, extractCode: restored.extractCode }, ORIGINAL);
  const methods = f.emulator.requests.all().map((r) => r.method);
  assert.ok(methods.filter((m) => m === "PUT").length >= 3, `the adoption, the rewrite and the restore were written (${methods})`);
  assert.ok(proxy.seen.length > 0, "the requests went through the proxy");
  assert.deepEqual([...new Set(proxy.seen)], [`CONNECT ${new URL(f.emulator.url).host}`], "only tunnels: the proxy never read a request");
});

test("a proxy that will not open the tunnel (403): up fails naming the proxy, not the KooDrive credentials; nothing reaches KooDrive", async () => {
  const blocking = await startConnectProxy({ refuseWith: 403 });
  try {
    await f.stack.setConfig("koodrive:proxy", { value: blocking.url });
    const { share, text } = await failedUpOfNewShare("blocked");
    const host = new URL(f.emulator.url).host;
    assert.match(text, new RegExp(`proxy ${blocking.url} refused to forward it to ${host} with HTTP 403 \\(1 attempt`));
    assert.match(text, /the proxy does not let this machine reach/);
    assert.doesNotMatch(text, /rejected the credentials|KOODRIVE_APP_SECRET|outcome is unknown/);
    assert.ok(blocking.seen.length > 0 && blocking.seen.every((line) => line.startsWith("CONNECT ")));
    // With the proxy that tunnels again, the same program goes through.
    await f.stack.setConfig("koodrive:proxy", { value: proxy.url });
    await f.stack.up();
    assert.equal(f.emulator.getShare(share.shareId).comment, "declared");
    await f.stack.destroy();
    assert.equal(f.emulator.getShare(share.shareId).comment, ORIGINAL.comment);
  } finally {
    await blocking.close();
  }
});

test("without the certificate authority, up fails at once saying how to add it; nothing reaches KooDrive", async () => {
  delete f.stack.workspace.envVars.NODE_EXTRA_CA_CERTS;
  const { text } = await failedUpOfNewShare("untrusted");
  const host = new URL(f.emulator.url).host;
  assert.match(text, new RegExp(`network error UNABLE_TO_VERIFY_LEAF_SIGNATURE talking to ${host} through proxy ${proxy.url} \\(1 attempt`));
  assert.match(text, /\(through the proxy\) is not signed by a certificate authority this machine trusts/);
  assert.match(text, /NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem in the environment of `pulumi`/);
  assert.doesNotMatch(text, /outcome is unknown|read back/, "a refused certificate sent nothing, so there is nothing to read back");
});
