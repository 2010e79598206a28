import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../resources/registry";

/** The methods Pulumi's dynamic-provider host calls. */
export type ProviderMethod = "configure" | "check" | "diff" | "create" | "read" | "update" | "delete";

/**
 * The provider object Pulumi serializes into the state of every resource of one kind. It is deliberately tiny (its
 * size is paid twice per resource in state): each method hands `this` (the deserialized provider instance, which
 * holds that process's configuration) and its arguments to the implementation, loaded by package name at call time.
 * So state holds no schema, client or credential, and refresh/destroy run the package version installed now rather
 * than code captured when the resource was last updated. The serializer never captures `require`.
 */
export function providerShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const run = (self: object, ...args: unknown[]): Promise<never> => require("pulumi-koodrive/provider-impl").run(self, kind, ...args);
  return {
    configure(req) {
      return run(this, "configure", req);
    },
    check(olds, news) {
      return run(this, "check", olds, news);
    },
    diff(id, olds, news) {
      return run(this, "diff", id, olds, news);
    },
    create(inputs) {
      return run(this, "create", inputs);
    },
    read(id, props) {
      return run(this, "read", id, props);
    },
    update(id, olds, news) {
      return run(this, "update", id, olds, news);
    },
    delete(id, props) {
      return run(this, "delete", id, props);
    },
  };
}
