import type { ProviderContext } from "../../src/provider/context";
import { shareOriginalsHandler } from "../../src/resources/shareOriginals/handler";
import { upgradeShareOriginalsState } from "../../src/resources/shareOriginals/state";

describe("the -originals companion's state, of any version, read as the current layout", () => {
  const originals = { comment: "before", extractCode: "ORIG1234", expireTime: "2026-12-06T09:18:02.000Z" };

  it("version 1 (no owner recorded): the declared userId is the owner; the serialized provider is not state", () => {
    expect(upgradeShareOriginalsState({ __provider: "exports.handler = …", shareId: "7", userId: "42", originals })).toEqual({
      stateVersion: 2,
      shareId: "7",
      userId: "42",
      owner: "42",
      originals,
    });
  });

  it("version 1 without userId: the owner stays unknown (the configured user acts), never user ''", () => {
    expect(upgradeShareOriginalsState({ shareId: "7", userId: "", originals })).toEqual({ stateVersion: 2, shareId: "7", userId: "", originals });
  });

  it("originals in no form this package writes are dropped, not trusted (they are only ever reported)", () => {
    expect(upgradeShareOriginalsState({ stateVersion: 2, shareId: "7", owner: "42", originals: { comment: 5 } })).toEqual({
      stateVersion: 2,
      shareId: "7",
      owner: "42",
    });
  });
});

describe("the -originals companion's provider", () => {
  /** A provider context whose KooDrive answers `share` to every read. */
  const contextAnswering = (share: Record<string, unknown>) =>
    ({ userId: (own?: unknown) => (typeof own === "string" ? own : "42"), client: () => ({ getShare: async () => share }) }) as unknown as ProviderContext;

  it("refuses to record originals whose expiry is in no documented form: restore could not put it back faithfully", async () => {
    const ctx = contextAnswering({ shareId: "7", comment: "before", expireTime: "next tuesday" });
    await expect(shareOriginalsHandler.create(ctx, { shareId: "7" })).rejects.toThrow(
      'KooDrive share 7: its expireTime "next tuesday" is in no form KooDrive documents, so onDelete "restore" could not put it back faithfully; use onDelete "retain" (nothing was changed)',
    );
    const readable = await shareOriginalsHandler.create(contextAnswering({ shareId: "7", comment: "before", expireTime: "2026-12-06T09:18:02.000Z" }), {
      shareId: "7",
    });
    expect(readable.outs).toEqual({ stateVersion: 2, shareId: "7", owner: "42", originals: { comment: "before", expireTime: "2026-12-06T09:18:02.000Z" } });
  });

  it("a refresh returns the state in the current layout (state of version 1 upgraded), sending nothing", async () => {
    const ctx = contextAnswering({});
    const originals = { comment: "before", extractCode: "ORIG1234", expireTime: "2026-12-06T09:18:02.000Z" };
    const read = await shareOriginalsHandler.read(ctx, "7", { shareId: "7", userId: "42", originals });
    expect(read).toEqual({ id: "7", props: { stateVersion: 2, shareId: "7", userId: "42", owner: "42", originals } });
  });
});
