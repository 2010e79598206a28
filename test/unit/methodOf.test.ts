import { methodOf } from "../../src/provider/impl";

// The serialized shim has two functions for seven method names (to keep state small); the arguments' shapes, as the
// SDK's dynamic-provider host passes them, tell the methods apart.
describe("methodOf", () => {
  const props = { shareId: "1", __provider: "exports.handler = ..." };
  it.each([
    ["first", [{ config: { get: () => undefined, require: () => "" } }], "configure"],
    ["first", [props], "create"],
    ["first", [{}, props], "check"],
    ["first", ["1", props, props], "diff"],
    ["first", ["1", props], "read"],
    ["first", ["1", undefined], "read"],
    ["second", ["1", props, props], "update"],
    ["second", ["1", props], "delete"],
  ] as const)("%s with %j is %s", (group, args, method) => {
    expect(methodOf(group, args)).toBe(method);
  });

  it("a create whose inputs happen to hold a `config` value is still a create (struct values are never functions)", () => {
    expect(methodOf("first", [{ config: { get: "not a function" } }])).toBe("create");
  });
});
