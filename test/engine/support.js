// Helpers for the real-engine tests (node --test): an in-process emulator and a stack whose program declares
// whatever `desired` holds at the time of each engine operation.
"use strict";
const { ensureSelfLink, openStack, shiftedClockNodeOptions } = require("../../scripts/lib/engine");

const TOKEN = "engine-test-token-7c1e4b2a";
const APP_ID = "engine-app-0001";
const APP_SECRET = "engine-app-secret-3f9d2c7a1b";
const USER_ID = "1505084218764547200";

/**
 * The program the engine tests run: a `KooDriveShareSettings` for each entry of `desired` (name → args) as it is when
 * the engine runs the program, with `options` (name → resource options); exports each one's comment and expiry.
 */
function programDeclaring(desired, options = {}) {
  return async () => {
    const { KooDriveShareSettings } = require("pulumi-koodrive");
    const outputs = {};
    for (const [name, args] of Object.entries(desired)) {
      // extractCode is passed in plaintext on purpose: the resource itself must make it a secret.
      const r = new KooDriveShareSettings(name, args, options[name]);
      outputs[`${name}Comment`] = r.comment;
      outputs[`${name}ExpireTime`] = r.expireTime;
    }
    return outputs;
  };
}

/**
 * Starts an emulator and a stack wired to it. `auth` is "token" (stack config secret) or "app" (environment);
 * `edition` is the KooDrive edition of both. `emulatorOptions` are added to the emulator's; `env` is added to the
 * engine's environment.
 */
/** @param {{ projectName: string, auth?: "token" | "app", edition?: "carrier" | "enterprise", emulatorOptions?: object, env?: Record<string, string> }} options */
async function engineFixture({ projectName, auth = "token", edition = "carrier", emulatorOptions = {}, env: extraEnv = {} }) {
  ensureSelfLink();
  const { startEmulator } = require("koodrive-emulator");
  // The tests compare the exact bodies sent, access codes included (the emulator redacts them by default).
  const emulator = await startEmulator({ tokens: [TOKEN], apps: { [APP_ID]: APP_SECRET }, logAccessCodes: true, edition, ...emulatorOptions });
  /** Resources the program declares: name → args. */
  const desired = {};
  /** Resource options by resource name (e.g. aliases). */
  const options = {};
  const program = programDeclaring(desired, options);
  // Provider processes load the shifted-clock preload, so a test can move "now" for them (see advanceTo below).
  const env = { KOODRIVE_MAX_RETRIES: "0", NODE_OPTIONS: shiftedClockNodeOptions(), ...extraEnv };
  if (auth === "app") Object.assign(env, { KOODRIVE_APP_ID: APP_ID, KOODRIVE_APP_SECRET: APP_SECRET });
  const handle = await openStack({ projectName, program, env });
  const { stack } = handle;
  await stack.setAllConfig({
    "koodrive:endpoint": { value: emulator.url },
    "koodrive:userId": { value: USER_ID },
    "koodrive:agentName": { value: "engine-test" },
    "koodrive:edition": { value: edition },
  });
  if (auth === "token") await stack.setConfig("koodrive:accessToken", { value: TOKEN, secret: true });
  const puts = () => emulator.requests.all().filter((r) => r.method === "PUT");
  return {
    emulator,
    desired,
    options,
    stack,
    /** Moves time `days` ahead of real time for the emulator and for the provider processes of later operations. */
    async advanceTo(days) {
      const ms = Math.round(days * 24 * 60 * 60 * 1000);
      emulator.clock.setOffset(ms);
      stack.workspace.envVars.SHIFTED_CLOCK_OFFSET_MS = String(ms);
    },
    handle,
    puts,
    async close() {
      await handle.remove();
      await emulator.close();
    },
  };
}

module.exports = { engineFixture, programDeclaring, TOKEN, APP_ID, APP_SECRET, USER_ID };
