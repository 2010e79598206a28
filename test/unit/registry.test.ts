import { RESOURCE_TYPES, typeToken } from "../../src/resources/registry";

describe("resource type tokens", () => {
  // Changing a token replaces every resource of that type in every user's stack: a rename needs `aliases`.
  it("are pinned", () => {
    expect(Object.fromEntries(Object.keys(RESOURCE_TYPES).map((kind) => [kind, typeToken(kind as keyof typeof RESOURCE_TYPES)]))).toEqual({
      shareSettings: "pulumi-nodejs:dynamic/koodrive:ShareSettings",
      shareOriginals: "pulumi-nodejs:dynamic/koodrive:ShareOriginals",
      share: "pulumi-nodejs:dynamic/koodrive:Share",
    });
  });
});
