import { withoutPromiseStacks } from "../../src/resources/common/promiseStacks";

// The classes' use of it is proven on the real engine: test/engine/packedPackage.test.js checks that every resource
// still has its source position in state, on each SDK of the matrix (the old SDK keeps the traces, see below).
describe("registering without the SDK's promise-debugging stack traces", () => {
  const saved = { limit: Error.stackTraceLimit, debug: process.env.PULUMI_DEBUG_PROMISE_LEAKS };
  afterEach(() => {
    Error.stackTraceLimit = saved.limit;
    if (saved.debug === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    else process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved.debug;
  });

  it("captures no frames while lowered, and puts the limit back as it was", () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    Error.stackTraceLimit = 17;
    const restore = withoutPromiseStacks();
    expect(new Error("x").stack).toBe("Error: x");
    restore();
    expect(Error.stackTraceLimit).toBe(17);
    expect(new Error("x").stack).toMatch(/\n\s+at /);
  });

  it("keeps the traces when PULUMI_DEBUG_PROMISE_LEAKS asks for them", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    Error.stackTraceLimit = 17;
    const restore = withoutPromiseStacks();
    expect(Error.stackTraceLimit).toBe(17);
    restore();
    expect(Error.stackTraceLimit).toBe(17);
  });

  it("keeps the traces on an SDK whose source-position capture uses the current limit (no Resource.callsites)", () => {
    jest.isolateModules(() => {
      jest.doMock("@pulumi/pulumi", () => ({ Resource: class {} }));
      const { withoutPromiseStacks: onOldSdk } =
        require("../../src/resources/common/promiseStacks") as typeof import("../../src/resources/common/promiseStacks");
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      Error.stackTraceLimit = 17;
      onOldSdk();
      expect(Error.stackTraceLimit).toBe(17);
    });
  });
});
