import type * as pulumi from "@pulumi/pulumi";
import type { Emulator } from "koodrive-emulator";
import { PROVIDER_METHODS } from "../../src/provider/methods";
import { run } from "../../src/provider/impl";
import type { providerShim } from "../../src/provider/shim";
import { startNewRun } from "../../src/resources/common/restoredShares";
import type { ResourceKind } from "../../src/resources/registry";
import { providerText020 } from "../support/providerText020";
import { AGENT, TOKEN, USER_ID, configureRequest, testEmulator } from "../support/fixtures";

// Refresh and destroy run the provider text stored in state, which is the shim of the version that last updated each
// resource. 0.2.0's shim calls `run(this, kind, method, ...args)`; this version's calls `runGroup(this, kind, group,
// args)`. Both must reach the method the host called, and 0.2.0, rolled back to, must not take this version's calls
// for ones it answered.

let emulator: Emulator;
beforeEach(async () => {
  emulator = await testEmulator();
});
afterEach(() => emulator.close());

/** The provider object the SDK's host gets from a stored text: it loads the text as a module and calls `handler`. */
function providerFromText(text: string): pulumi.dynamic.ResourceProvider {
  const module = { exports: {} as { handler: () => pulumi.dynamic.ResourceProvider } };
  new Function("exports", "require", text)(module.exports, require);
  return module.exports.handler();
}

async function configured020(kind: ResourceKind): Promise<pulumi.dynamic.ResourceProvider> {
  const provider = providerFromText(providerText020(kind));
  await provider.configure!(
    configureRequest({ "koodrive:endpoint": emulator.url, "koodrive:userId": USER_ID, "koodrive:agentName": AGENT, "koodrive:accessToken": TOKEN }),
  );
  return provider;
}

describe("0.2.0's stored shim", () => {
  it("reaches each method it names: check, create, read, diff, update and a restoring delete", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "original" });
    const originals = await configured020("shareOriginals");
    const settings = await configured020("shareSettings");
    const snapshot = await originals.create({ shareId: share.shareId });
    const checked = await settings.check!(
      {},
      { shareId: share.shareId, validDays: 3, comment: "declared", onDelete: "restore", originals: snapshot.outs!.originals },
    );
    expect(checked.failures ?? []).toEqual([]);
    const created = await settings.create(checked.inputs);
    expect(emulator.getShare(share.shareId)?.comment).toBe("declared");

    // Read as the other methods, its calls answered a read of a companion with a diff (no `id`: the engine dropped
    // the companion from state, originals and all) and failed the others.
    const readOriginals = await originals.read!(share.shareId, snapshot.outs!);
    expect(readOriginals.id).toBe(share.shareId);
    const read = await settings.read!(created.id, created.outs!);
    expect(read).toMatchObject({ id: share.shareId, props: { comment: "declared" } });
    const diff = await settings.diff!(created.id, created.outs!, { ...checked.inputs, comment: "declared again" });
    expect(diff.changes).toBe(true);
    const updated = await settings.update!(created.id, created.outs!, { ...checked.inputs, comment: "declared again" });
    expect(emulator.getShare(share.shareId)?.comment).toBe("declared again");
    startNewRun(); // a destroy runs in a provider process of its own
    await settings.delete!(created.id, updated.outs!);
    expect(emulator.getShare(share.shareId)?.comment).toBe("original");
  });

  it("a method name no version has is refused, naming it, before anything is sent", async () => {
    await expect(run({}, "shareSettings", "import", "1", {})).rejects.toThrow(
      'pulumi-koodrive: unknown provider method "import" in state (written by a newer package version?)',
    );
    expect(emulator.requests.all()).toEqual([]);
  });
});

describe("this version's shim, with 0.2.0 installed again (a rollback)", () => {
  // 0.2.0's entry point as it was: `run(self, kind, method, ...args)`, a switch on the method name without a default.
  async function run020(_self: object, _kind: ResourceKind, method: string): Promise<unknown> {
    if ((PROVIDER_METHODS as readonly string[]).includes(method)) throw new Error(`0.2.0 would run its ${method}`);
    return undefined;
  }

  it.each(["delete", "read", "check"] as const)("%s fails instead of being answered with nothing", async (method) => {
    const calls: Record<typeof method, (p: pulumi.dynamic.ResourceProvider) => Promise<unknown>> = {
      delete: (p) => p.delete!("1", { shareId: "1" }),
      read: (p) => p.read!("1", { shareId: "1" }),
      check: (p) => p.check!({}, { shareId: "1" }),
    };
    let outcome: Promise<unknown> = Promise.resolve();
    jest.isolateModules(() => {
      jest.doMock("pulumi-koodrive/provider-impl", () => ({ run: run020 }));
      const { providerShim: shimWith020 } = require("../../src/provider/shim") as { providerShim: typeof providerShim };
      try {
        outcome = calls[method](shimWith020("shareSettings"));
      } catch (e) {
        outcome = Promise.reject(e); // the host awaits the method: a throw and a rejection fail the operation alike
      }
    });
    // An answer of nothing is what the engine took for a successful delete: the state emptied, nothing restored.
    await expect(outcome).rejects.toThrow(/runGroup is not a function/);
  });
});
