import * as pulumi from "@pulumi/pulumi";
import { KooDriveShareSettings } from "pulumi-koodrive";

const config = new pulumi.Config();

const report = new KooDriveShareSettings("q3-report", {
  shareId: config.require("shareId"),
  // Optional: without it the share keeps whatever access code it has (only declared fields are managed).
  extractCode: config.getSecret("extractCode"),
  comment: "Q3 report for auditors",
  validDays: 30,
});

export const linkUrl = report.linkUrl;
export const expireTime = report.expireTime;
