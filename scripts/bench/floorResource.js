// The engine floor: a dynamic resource whose provider does nothing but answer the engine, with the same inputs as
// a KooDrive share-settings resource. Whatever the KooDrive resource costs above this is its own overhead.
// Plain JavaScript: the provider object is serialized into state like any dynamic provider, and it captures
// nothing, so its stored text is as small as a provider with all six methods can be.
"use strict";

const INPUT_NAMES = ["shareId", "validDays", "extractCode", "comment", "onDelete"];

const noopProvider = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff(_id, olds, news) {
    return { changes: ["shareId", "validDays", "extractCode", "comment", "onDelete"].some((k) => olds[k] !== news[k]) };
  },
  async create(inputs) {
    return { id: String(inputs.shareId), outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async delete() {},
};

/**
 * Builds the resource class against the program's copy of `@pulumi/pulumi` (two copies cannot share a program).
 * `secretAccessCode` (`--secret-floor`) makes its access code a secret, as KooDrive's always is, to tell what the
 * engine spends on secret values (encrypting them in every checkpoint) from what the resource itself costs.
 * @param {{ secretAccessCode?: boolean }} [options]
 */
function floorResourceClass(pulumi, options = {}) {
  return class NoopShareSettings extends pulumi.dynamic.Resource {
    constructor(name, args, opts) {
      const props = {};
      for (const key of INPUT_NAMES) if (args[key] !== undefined) props[key] = args[key];
      if (options.secretAccessCode && props.extractCode !== undefined) props.extractCode = pulumi.secret(props.extractCode);
      super(noopProvider, name, props, opts, "bench", "NoopShareSettings");
    }
  };
}

module.exports = { floorResourceClass };
