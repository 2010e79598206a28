// Program of the top-level Pulumi.yaml project, run only by `npm run demo` (through the Automation API, against the
// emulator, with `pulumi-koodrive` linked to this checkout). To run a program with the Pulumi CLI, start from a copy
// of examples/basic, which installs the published package.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { KooDriveShareSettings } = require("pulumi-koodrive");

module.exports = async () => {
  const config = new pulumi.Config();
  const report = new KooDriveShareSettings("q3-report", {
    shareId: config.require("shareId"),
    extractCode: config.requireSecret("extractCode"),
    comment: config.require("comment"),
    validDays: config.getNumber("validDays") ?? 30,
    // A scheduled `pulumi up` renews the link once fewer than this many days remain.
    renewBeforeDays: config.getNumber("renewBeforeDays"),
    // Destroying the stack gives the share back the settings it had before Pulumi adopted it.
    onDelete: "restore",
  });
  return { shareId: report.shareId, linkUrl: report.linkUrl, expireTime: report.expireTime, comment: report.comment };
};
