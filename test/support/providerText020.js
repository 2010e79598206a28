// The provider text that 0.2.0 (39f2549) serialized into the state of every resource, as `pulumi stack export`
// shows it: one function per method, each calling `run(this, kind, method, ...args)` of the installed package's
// provider-impl. Refresh and destroy run it until an `up` stores the current shim, so the current package must
// still answer it. Copied from a stack that 0.2.0 wrote, with the resource kind made a parameter.
"use strict";

/** @param {"shareSettings" | "shareOriginals" | "share"} kind */
function providerText020(kind) {
  return `exports.handler = __f0;

var __provider = {configure: __f1, check: __f3, diff: __f4, create: __f5, read: __f6, update: __f7, delete: __f8};

function __f2(__0) {
  return (function() {
    with({ kind: "${kind}", this: undefined, arguments: undefined }) {

return (self, ...args) => require("pulumi-koodrive/provider-impl").run(self, kind, ...args);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f1(__0) {
  return (function() {
    with({ run: __f2, this: undefined, arguments: undefined }) {

return function /*configure*/(req) {
            return run(this, "configure", req);
        };

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f3(__0, __1) {
  return (function() {
    with({ run: __f2, this: undefined, arguments: undefined }) {

return function /*check*/(olds, news) {
            return run(this, "check", olds, news);
        };

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f4(__0, __1, __2) {
  return (function() {
    with({ run: __f2, this: undefined, arguments: undefined }) {

return function /*diff*/(id, olds, news) {
            return run(this, "diff", id, olds, news);
        };

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f5(__0) {
  return (function() {
    with({ run: __f2, this: undefined, arguments: undefined }) {

return function /*create*/(inputs) {
            return run(this, "create", inputs);
        };

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f6(__0, __1) {
  return (function() {
    with({ run: __f2, this: undefined, arguments: undefined }) {

return function /*read*/(id, props) {
            return run(this, "read", id, props);
        };

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f7(__0, __1, __2) {
  return (function() {
    with({ run: __f2, this: undefined, arguments: undefined }) {

return function /*update*/(id, olds, news) {
            return run(this, "update", id, olds, news);
        };

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f8(__0, __1) {
  return (function() {
    with({ run: __f2, this: undefined, arguments: undefined }) {

return function /*delete*/(id, props) {
            return run(this, "delete", id, props);
        };

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f0() {
  return (function() {
    with({ provider: __provider, this: undefined, arguments: undefined }) {

return () => provider;

    }
  }).apply(undefined, undefined).apply(this, arguments);
}
`;
}

module.exports = { providerText020 };
