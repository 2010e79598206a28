"use strict";
// Issue 9 §7 and §10: many shares against a gateway that throttles at 5 requests/s converge in one `up`, and the
// retries are visible in the engine's output, naming the share.
const assert = require("node:assert/strict");
const { after, before, describe, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

/**
 * A stack whose program adopts `count` shares (comment "before" → "managed <i>") against an emulator throttled at
 * `throttleRps`; set up before the describe's tests and closed after them.
 */
function throttledStack(projectName, throttleRps, count, env = {}) {
  const stack = { f: /** @type {any} */ (undefined), shares: /** @type {any[]} */ ([]) };
  before(async () => {
    stack.f = await engineFixture({ projectName, emulatorOptions: { faults: { throttleRps } }, env });
    for (let i = 0; i < count; i++) stack.shares.push(stack.f.emulator.seedShare({ ownerId: USER_ID, comment: "before" }));
  });
  after(() => stack.f.close());
  return {
    get f() {
      return stack.f;
    },
    shares: stack.shares,
    /** Declares every share's managed settings; returns the engine's output of one `up`. */
    async up() {
      stack.shares.forEach((share, i) => {
        stack.f.desired[`share${i}`] = { shareId: share.shareId, validDays: 7, comment: `managed ${i}` };
      });
      let output = "";
      await stack.f.stack.up({ onOutput: (text) => (output += text) });
      return output;
    },
  };
}

const SHARES = 60;
const THROTTLE_RPS = 5;

describe(`${SHARES} shares against a ${THROTTLE_RPS} requests/s throttle`, () => {
  // maxRetries at its default (3): the throttle must be survived by the time budget, not by a retry count.
  const stack = throttledStack("throttled", THROTTLE_RPS, SHARES, { KOODRIVE_MAX_RETRIES: "3" });
  const { shares } = stack;

  test("one up converges with zero failed resources and reports its retries", async () => {
    const f = stack.f;
    let output = "";
    const started = Date.now();
    /** @type {any} */
    let failure;
    try {
      output = await stack.up();
    } catch (e) {
      failure = e;
    }
    const seconds = (Date.now() - started) / 1000;
    const requests = f.emulator.requests.all();
    const throttled = requests.filter((r) => r.status === 429).length;
    const applied = shares.filter((share, i) => f.emulator.getShare(share.shareId).comment === `managed ${i}`).length;
    console.log(
      `up of ${SHARES} shares at ${THROTTLE_RPS} req/s: ${seconds.toFixed(1)} s, ${applied}/${SHARES} applied, ${SHARES - applied} failed, ${requests.length} requests, ${throttled} answered 429`,
    );

    assert.equal(failure, undefined, `up failed: ${failure?.message?.slice(0, 2000)}`);
    assert.equal(applied, SHARES);
    assert.ok(throttled > 0, "the throttle must have fired, or this test proves nothing");
    const retryLine = output.split("\n").find((line) => /KooDrive (GET|PUT) \/koodrive\/ose\/v1\/share\/\d+ .*HTTP 429.*retry/.test(line));
    assert.ok(retryLine, `a retry line naming the share is printed; output was:\n${output.slice(-3000)}`);
    console.log(`for example: ${retryLine.trim()}`);
    assert.ok(shares.some((share) => retryLine.includes(share.shareId)));
    assert.equal(output.includes("engine-test-token"), false, "no credential in the output");
  });
});

describe("a throttled up shorter than the wait digest's 30 s", () => {
  const stack = throttledStack("throttled-digest", 2, 20);

  test("ends with the count of the waits not listed one by one, naming the budget", async () => {
    const started = Date.now();
    const output = await stack.up();
    const seconds = (Date.now() - started) / 1000;
    const lines = output.split("\n");
    // The engine prints each diagnostic twice (as it comes, and in the summary): count distinct messages.
    const distinct = (pattern) => [...new Set(lines.map((line) => pattern.exec(line)?.[0]).filter((m) => m !== undefined))];
    const shown = distinct(/KooDrive PUT \/koodrive\/ose\/v1\/share\/\d+ has waited \d+ s to be sent/);
    const digests = distinct(/koodrive: \d+ more requests? waited over \d+ s for the request budget.*; the latest: the request budget for .*/);
    console.log(
      `up of ${stack.shares.length} shares at 2 req/s: ${seconds.toFixed(1)} s; ${shown.length} waits shown, then: ${digests.map((d) => d.trim()).join(" | ")}`,
    );
    // About 12 s here: shorter than the digest's interval, and the engine ends the provider process with a signal, not
    // an exit, so before, no digest reached the output.
    assert.equal(shown.length, 3);
    assert.ok(digests.length > 0, `the wait digest is printed; output was:\n${output.slice(-3000)}`);
  });
});
