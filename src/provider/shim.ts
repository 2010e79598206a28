import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../resources/registry";

/**
 * The host calls the methods with fixed shapes: configure(request), check(olds, news), diff(id, olds, news),
 * create(inputs), read(id, props), update(id, olds, news), delete(id, props). Only diff/update and read/delete share
 * a shape, so two functions suffice: each method's arguments tell which one was called (see `methodOf` in impl.ts).
 */
export type MethodGroup = "first" | "second";

/**
 * The provider object Pulumi serializes into the state of every resource of one kind. Its text is stored twice per
 * resource (inputs and outputs), so it is as small as it can be: two functions shared by the seven method names,
 * each handing `this` (the deserialized provider instance, which holds that process's configuration) and its
 * arguments to the implementation, loaded by package name at call time. So state holds no schema, client or
 * credential, and refresh/destroy run the package version installed now rather than code captured when the resource
 * was last updated. The serializer never captures `require`. The entry point is `runGroup`, not `run`: see there.
 */
export function providerShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const run = (self: object, group: MethodGroup, args: unknown[]): Promise<never> => require("pulumi-koodrive/provider-impl").runGroup(self, kind, group, args);
  const first = function (this: object, ...args: unknown[]) {
    return run(this, "first", args);
  };
  const second = function (this: object, ...args: unknown[]) {
    return run(this, "second", args);
  };
  return { configure: first, check: first, diff: first, create: first, read: first, update: second, delete: second } as pulumi.dynamic.ResourceProvider;
}
