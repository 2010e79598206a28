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
