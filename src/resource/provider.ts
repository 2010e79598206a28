import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider object Pulumi serializes into state. It is deliberately tiny: each method loads the implementation
 * from the installed package at call time, so state holds no schema, client or credential, and refresh/destroy
 * run the package version installed now rather than the code captured when the resource was last updated.
 */
export const shareSettingsProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return require("pulumi-koodrive/provider-impl").configure(req);
  },
  async check(olds, news) {
    return require("pulumi-koodrive/provider-impl").check(olds, news);
  },
  async diff(id, olds, news) {
    return require("pulumi-koodrive/provider-impl").diff(id, olds, news);
  },
  async create(inputs) {
    return require("pulumi-koodrive/provider-impl").create(inputs);
  },
  async read(id, props) {
    return require("pulumi-koodrive/provider-impl").read(id, props);
  },
  async update(id, olds, news) {
    return require("pulumi-koodrive/provider-impl").update(id, olds, news);
  },
  async delete(id, props) {
    return require("pulumi-koodrive/provider-impl").remove(id, props);
  },
};
