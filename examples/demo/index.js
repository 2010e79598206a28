// Program of the top-level Pulumi.yaml project. `npm run demo` runs it through the Automation API against the
// embedded emulator; with the official Pulumi CLI it also runs as is (`pulumi up` in the repository root).
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
    // Destroying the stack gives the share back the settings it had before Pulumi adopted it.
    onDelete: "restore",
  });
  return { shareId: report.shareId, linkUrl: report.linkUrl, expireTime: report.expireTime, comment: report.comment };
};
