import * as pulumi from "@pulumi/pulumi";
import { KooDriveShareSettings } from "pulumi-koodrive";

const config = new pulumi.Config();

const report = new KooDriveShareSettings("q3-report", {
  shareId: config.require("shareId"),
  extractCode: config.requireSecret("extractCode"),
  comment: "Q3 report for auditors",
  validDays: 30,
});

export const linkUrl = report.linkUrl;
export const expireTime = report.expireTime;
