import type * as pulumi from "@pulumi/pulumi";
import type { Emulator } from "koodrive-emulator";
import { providerShim } from "../../src/provider/shim";
import type { ResourceKind } from "../../src/resources/registry";
import { SHARE_STATE_VERSION } from "../../src/resources/share/state";
import { SHARE_ORIGINALS_STATE_VERSION } from "../../src/resources/shareOriginals/state";
import { SHARE_SETTINGS_STATE_VERSION } from "../../src/resources/shareSettings/state";
import { AGENT, TOKEN, USER_ID, configureRequest, testEmulator } from "../support/fixtures";

// A rollback: a newer pulumi-koodrive wrote the state, then the project installed this one again. Refresh and destroy
// run the installed package, so this version must refuse a layout it does not know instead of acting on a guess.

let emulator: Emulator;
beforeEach(async () => {
  emulator = await testEmulator();
});
afterEach(() => emulator.close());

async function configured(kind: ResourceKind): Promise<pulumi.dynamic.ResourceProvider> {
  const config: Record<string, string> = {
    "koodrive:endpoint": emulator.url,
    "koodrive:userId": USER_ID,
    "koodrive:agentName": AGENT,
    "koodrive:accessToken": TOKEN,
  };
  const provider = providerShim(kind);
  await provider.configure!(configureRequest(config));
  return provider;
}

/**
 * Each method that gets stored outputs, called with `state` as them; diff and update get inputs without a
 * `stateVersion` as the new side (inputs never carry one), so only the stored side can trip the guard.
 */
const CALLS: Record<string, (p: pulumi.dynamic.ResourceProvider, id: string, state: Record<string, unknown>) => Promise<unknown>> = {
  read: (p, id, state) => p.read!(id, state),
  diff: (p, id, state) => p.diff!(id, state, inputsOf(state)),
  update: (p, id, state) => p.update!(id, state, inputsOf(state)),
  delete: (p, id, state) => p.delete!(id, state),
};

function inputsOf({ stateVersion: _stored, ...inputs }: Record<string, unknown>): Record<string, unknown> {
  return inputs;
}

const KINDS: [ResourceKind, string, number][] = [
  ["shareSettings", "koodrive:ShareSettings", SHARE_SETTINGS_STATE_VERSION],
  ["shareOriginals", "koodrive:ShareOriginals", SHARE_ORIGINALS_STATE_VERSION],
  ["share", "koodrive:Share", SHARE_STATE_VERSION],
];

describe.each(KINDS)("%s state written by a newer package version", (kind, typeName, readable) => {
  it.each(Object.keys(CALLS))("%s fails naming the versions, before anything is sent", async (method) => {
    const provider = await configured(kind);
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "untouched" });
    const state = { shareId: share.shareId, validDays: 3, comment: "declared", onDelete: "restore", stateVersion: readable + 1 };
    const error = await CALLS[method]!(provider, share.shareId, state).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe(
      `pulumi-koodrive: this ${typeName} has state version ${readable + 1}, written by a newer pulumi-koodrive than the one installed, ` +
        `which reads state versions up to ${readable}. Install that newer version again (refresh and destroy run the package installed in ` +
        'the project, whichever version last wrote the state; README: "What is stored"): an older one could misread the state and, for example, restore the wrong ' +
        "settings at destroy. Nothing was sent to KooDrive.",
    );
    expect(emulator.requests.all()).toEqual([]);
    expect(emulator.getShare(share.shareId)?.comment).toBe("untouched");
  });

  it.each([0, -1, 2.5, "3", null])("the state version %p, which no version writes, is refused too", async (stateVersion) => {
    const provider = await configured(kind);
    const share = emulator.seedShare({ ownerId: USER_ID });
    await expect(provider.read!(share.shareId, { shareId: share.shareId, validDays: 3, stateVersion })).rejects.toThrow(
      `pulumi-koodrive: this ${typeName} has the state version ${JSON.stringify(stateVersion)}, which no pulumi-koodrive writes (this one reads versions 1 to ${readable}): the state was edited by hand or damaged`,
    );
    expect(emulator.requests.all()).toEqual([]);
  });

  it.each(Object.keys(CALLS))("%s passes the guard for every version this one reads, and for none (layout 1)", async (method) => {
    const provider = await configured(kind);
    for (const stateVersion of [undefined, 1, readable]) {
      const share = emulator.seedShare({ ownerId: USER_ID });
      const state = { shareId: share.shareId, validDays: 3, comment: "declared", stateVersion };
      const outcome = await CALLS[method]!(provider, share.shareId, state).then(
        () => "ran",
        (e: Error) => e.message,
      );
      // A handler may still fail on this minimal state for its own reasons; the guard must not be one of them.
      expect(outcome).not.toMatch(/state version/);
    }
  });
});
