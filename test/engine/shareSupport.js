// Real-engine fixture for KooDriveShare and the lookups: an in-process emulator and a stack whose program declares
// whatever `desired` holds at the time of each engine operation, plus optional lookups.
"use strict";
const { ensureSelfLink, openStack } = require("../../scripts/lib/engine");
const { TOKEN, APP_ID, APP_SECRET, USER_ID } = require("./support");

const OTHER_USER_ID = "1505084218764547999";

/** An emulator knowing the test token and app. The tests compare exact bodies, access codes included (the packaged
 *  emulator redacts them unless told). */
function startShareEmulator(/** @type {"carrier" | "enterprise"} */ edition = "carrier", /** @type {"full" | "documented" | "lean"} */ answers = "full") {
  ensureSelfLink();
  return require("koodrive-emulator").startEmulator({ tokens: [TOKEN], apps: { [APP_ID]: APP_SECRET }, edition, answers, logAccessCodes: true });
}

/**
 * A stack running `program`, configured for `emulator` (stack config, token as a secret or app auth from the
 * environment, no retries) plus `config`.
 */
async function openEmulatorStack({ projectName, program, emulator, auth = "token", edition = "carrier", config = {} }) {
  const env = { KOODRIVE_MAX_RETRIES: "0" };
  if (auth === "app") Object.assign(env, { KOODRIVE_APP_ID: APP_ID, KOODRIVE_APP_SECRET: APP_SECRET });
  const handle = await openStack({ projectName, program, env });
  await handle.stack.setAllConfig({
    "koodrive:endpoint": { value: emulator.url },
    "koodrive:userId": { value: USER_ID },
    "koodrive:agentName": { value: "engine-test" },
    "koodrive:edition": { value: edition },
    ...(auth === "token" ? { "koodrive:accessToken": { value: TOKEN, secret: true } } : {}),
    ...config,
  });
  return { handle, stack: handle.stack };
}

/**
 * @param {{ projectName: string, auth?: "token" | "app", edition?: "carrier" | "enterprise",
 *           answers?: "full" | "documented" | "lean", lookups?: (koodrive: any, outputs: Record<string, unknown>) => void }} options
 * `desired` maps a resource name to `{ kind: "share" | "settings", args }`; outputs `<name>Id`, `<name>Link`,
 * `<name>ExpireTime` and `<name>Code` (the access code, a secret) are exported for each share.
 */
async function shareStack({ projectName, auth = "token", edition = "carrier", answers = "full", lookups }) {
  const emulator = await startShareEmulator(edition, answers);
  /** @type {Record<string, { kind: "share" | "settings", args: any }>} */
  const desired = {};
  const program = async () => {
    const koodrive = require("pulumi-koodrive");
    /** @type {Record<string, unknown>} */
    const outputs = {};
    for (const [name, { kind, args }] of Object.entries(desired)) {
      if (kind === "settings") {
        new koodrive.KooDriveShareSettings(name, args);
        continue;
      }
      // extractCode is passed in plaintext on purpose: the resource itself must make it a secret.
      const share = new koodrive.KooDriveShare(name, args);
      outputs[`${name}Id`] = share.shareId;
      outputs[`${name}Link`] = share.linkUrl;
      outputs[`${name}ExpireTime`] = share.expireTime;
      outputs[`${name}Code`] = share.extractCode;
    }
    if (lookups) lookups(koodrive, outputs);
    return outputs;
  };
  const { handle, stack } = await openEmulatorStack({ projectName, program, emulator, auth, edition });
  const requests = (method, path) => emulator.requests.all().filter((r) => r.method === method && (path === undefined || r.path === path));
  return {
    emulator,
    desired,
    stack,
    handle,
    /** POSTs that create shares. */
    creates: () => requests("POST", "/koodrive/ose/v1/share"),
    cancels: () => requests("POST", "/koodrive/ose/v1/share/cancel"),
    puts: () => requests("PUT"),
    async close() {
      await handle.remove();
      await emulator.close();
    },
  };
}

module.exports = { shareStack, startShareEmulator, openEmulatorStack, TOKEN, APP_SECRET, USER_ID, OTHER_USER_ID };
