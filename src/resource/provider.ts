import type * as pulumi from "@pulumi/pulumi";

/**
 * Loads the implementation by package name at call time, in whichever process runs the provider. The serializer
 * never captures `require`, so this function (and the string) is all that reaches state.
 */
const impl = (): typeof import("./providerImpl") => require("pulumi-koodrive/provider-impl");

/**
 * The provider object Pulumi serializes into state. It is deliberately tiny: each method delegates to the
 * implementation of the installed package, so state holds no schema, client or credential, and refresh/destroy run
 * the package version installed now rather than code captured when the resource was last updated.
 */
export const shareSettingsProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => impl().configure(req),
  check: (olds, news) => impl().check(olds, news),
  diff: (id, olds, news) => impl().diff(id, olds, news),
  create: (inputs) => impl().create(inputs),
  read: (id, props) => impl().read(id, props),
  update: (id, olds, news) => impl().update(id, olds, news),
  delete: (id, props) => impl().remove(id, props),
};
