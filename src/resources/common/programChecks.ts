import * as pulumi from "@pulumi/pulumi";

/**
 * Checks that run in the program (at preview, before anything reaches the provider): what only the program can see,
 * such as argument names it would otherwise drop, or two resources claiming one share.
 */

/** Fails on an argument name the resource does not know (e.g. `extractcode`), instead of dropping it silently. */
export function rejectUnknownArgs(typeName: string, resourceName: string, args: object, known: readonly string[]): void {
  const unknown = Object.keys(args).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new Error(
      `${typeName} "${resourceName}": unknown argument${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} (known: ${known.join(", ")})`,
    );
  }
}

/** The `import` option cannot work for dynamic resources (pulumi/pulumi#16175): say so instead of a gRPC stack trace. */
export function rejectImportOption(typeName: string, resourceName: string, opts: pulumi.CustomResourceOptions | undefined): void {
  if (opts?.import !== undefined) {
    throw new Error(
      `${typeName} "${resourceName}": the \`import\` resource option is not supported (Pulumi cannot import dynamic-provider resources, pulumi/pulumi#16175). ` +
        "Remove it: creating the resource adopts the existing share, with no import needed.",
    );
  }
}

/** One map of claimed shares per program run (an inline Automation API program can run many times in one process). */
const claimsByRun = new WeakMap<object, Map<string, string>>();
const runWithoutStack = {};

function claimsOfThisRun(): Map<string, string> {
  const run = (pulumi.runtime.getStackResource() as object | undefined) ?? runWithoutStack;
  let claims = claimsByRun.get(run);
  if (claims === undefined) {
    claims = new Map();
    claimsByRun.set(run, claims);
  }
  return claims;
}

/**
 * Records that `who` manages share `shareId`, failing when another resource of the program already does: two
 * resources applying different settings to one share would flip it on every `up`.
 */
export function claimShare(shareId: pulumi.Input<string>, who: string): void {
  const claims = claimsOfThisRun();
  const claim = (id: string) => {
    const holder = claims.get(id);
    if (holder !== undefined && holder !== who) {
      throw new Error(`share ${id} is managed by two resources, ${holder} and ${who}: each would undo the other's settings. Declare it once.`);
    }
    claims.set(id, who);
  };
  if (typeof shareId === "string") {
    claim(shareId);
    return;
  }
  // Known only later: an error thrown inside `apply` would reach no caller, so it is reported as an error diagnostic,
  // which fails the preview or update just the same.
  pulumi.output(shareId).apply((id) => {
    try {
      if (typeof id === "string") claim(id);
    } catch (e) {
      void pulumi.log.error((e as Error).message);
    }
  });
}
