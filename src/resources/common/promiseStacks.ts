import * as pulumi from "@pulumi/pulumi";

/**
 * Lowers `Error.stackTraceLimit` to 0 for one resource registration (the `super(...)` call of a resource class) and
 * returns the function that puts it back; use it as `const restore = withoutPromiseStacks(); try { super(...) }
 * finally { restore() }`.
 *
 * Why: the SDK wraps every promise of a registration in `debuggablePromise`, which captures and formats a stack
 * trace for it at once (four promises per output property, so about 60 per KooDrive resource). Those traces are
 * read only when `PULUMI_DEBUG_PROMISE_LEAKS` is set, yet formatting them was most of a program's CPU per resource:
 * 2.2 ms per resource with them, 0.7 ms without (2,000 resources, measured with the SDK's mocks). The registration itself is
 * synchronous, so nothing else runs while the limit is lowered.
 *
 * The cost: an error thrown synchronously inside the registration (a `transformations` callback of the program, a
 * bad `parent`) carries its message but no stack. Setting `PULUMI_DEBUG_PROMISE_LEAKS` brings both back.
 *
 * Left as it is when `PULUMI_DEBUG_PROMISE_LEAKS` is set (the traces are wanted then), and on SDKs older than the
 * ones whose source-position capture raises the limit itself (`Resource.callsites`, 3.1xx): there, the resource's
 * source position in state would be lost with the traces.
 */
export function withoutPromiseStacks(): () => void {
  const sdkCapturesPositionItself = typeof (pulumi.Resource as unknown as { callsites?: unknown }).callsites === "function";
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS || !sdkCapturesPositionItself) return () => undefined;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
