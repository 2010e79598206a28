import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../resources/registry";
import { providerShim } from "./shim";

const shims = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

/**
 * The serialized provider of a resource kind, one object per kind: Pulumi caches the serialized text per provider
 * object, so a new object per resource would re-serialize it for every resource.
 */
export function providerFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let shim = shims.get(kind);
  if (shim === undefined) {
    shim = providerShim(kind);
    shims.set(kind, shim);
  }
  return shim;
}
