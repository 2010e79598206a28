// Runs a preview whose program must fail (argv[2]: "twice" = two resources for one share, "parents" = two of one
// name under different parents for one share, "typo" = a misspelt argument) in its own process and prints what it
// saw as JSON. The Automation
// API's inline runtime re-raises any program error as an unhandled rejection in the host process, which node:test
// would report against whichever test runs next; a child process keeps that out of the test runner.
"use strict";
const { engineFixture, USER_ID } = require("../support");

process.on("unhandledRejection", () => {});

(async () => {
  const f = await engineFixture({ projectName: "twice" });
  try {
    const share = f.emulator.seedShare({ ownerId: USER_ID });
    const scenario = process.argv[2];
    /** @type {(() => void) | undefined} */
    let program;
    if (scenario === "typo") {
      f.desired.typo = { shareId: share.shareId, validDays: 3, extractcode: "MDg2K0vU" };
    } else if (scenario === "parents") {
      program = () => {
        const pulumi = require("@pulumi/pulumi");
        const { KooDriveShareSettings } = require("pulumi-koodrive");
        new KooDriveShareSettings("report", { shareId: share.shareId, validDays: 3, comment: "team a" });
        const teamB = new pulumi.ComponentResource("test:index:Team", "team-b");
        new KooDriveShareSettings("report", { shareId: share.shareId, validDays: 3, comment: "team b" }, { parent: teamB });
      };
    } else {
      f.desired.first = { shareId: share.shareId, validDays: 3, comment: "one" };
      f.desired.second = { shareId: share.shareId, validDays: 3, comment: "two" };
    }
    let text = "";
    try {
      await f.stack.preview(program === undefined ? {} : { program });
      text = "preview succeeded";
    } catch (/** @type {any} */ e) {
      text = `${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`;
    }
    process.stdout.write(JSON.stringify({ shareId: share.shareId, text, requests: f.emulator.requests.all().length }));
  } finally {
    await f.close();
  }
})();
