import * as pulumi from "@pulumi/pulumi";
import { ProviderContext } from "../provider/context";
import { findShare, shareNotFound } from "../provider/findShare";
import { listAllShares } from "../client/sharePages";
import { programError, warnAboutStackConfig } from "../resources/common/programChecks";
import { describeValue, idRule } from "../resources/common/rules";
import { type ShareInfo, shareInfoFrom } from "./shareInfo";

/** Arguments of {@link getShare}. */
export interface GetShareArgs {
  /** The share's ID. */
  shareId: string;
  /** Its owner (`X-User-Id`); default: `koodrive:userId`. */
  userId?: string;
}

/** Arguments of {@link listShares}. */
export interface ListSharesArgs {
  /** Only shares whose display name contains this text (case-insensitive). */
  displayName?: string;
  /** Whose shares (`X-User-Id`); default: `koodrive:userId`. */
  userId?: string;
}

/** Result of {@link listShares}. */
export interface ListSharesResult {
  /** Every matching share, newest first, from all pages. */
  shares: ShareInfo[];
}

/** Output-form arguments: every field may be an Output. */
export type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * The connection settings of the program's stack: `koodrive:*` stack config, else `KOODRIVE_*` environment
 * variables, by the same rules the resources use. Read per call, so each program run sees its own stack.
 */
function programContext(): ProviderContext {
  warnAboutStackConfig();
  const config = new pulumi.Config("koodrive");
  return new ProviderContext((key) => (key.startsWith("koodrive:") ? config.get(key.slice("koodrive:".length)) : undefined));
}

/**
 * A lookup's argument error, naming the function, as the program's own mistake (no stack trace into this package);
 * an Output given to a Promise form is pointed to the Output form.
 */
function argumentError(fn: string, problem: string, value: unknown): Error {
  const hint = pulumi.Output.isInstance(value) ? ` (an Output: use ${fn}Output for Output arguments)` : "";
  return programError(`invalid argument to ${fn}: ${problem}${hint}`);
}

function checkedId(fn: string, name: string, value: unknown): string {
  const parsed = idRule(name).safeParse(value);
  if (!parsed.success) throw argumentError(fn, parsed.error.issues[0]?.message ?? `${name} is invalid`, value);
  return parsed.data;
}

/** The lookup's arguments as an object, failing with the function's name before anything is sent. */
function argumentsOf<T extends object>(fn: string, args: T | undefined, required: boolean): Partial<T> {
  if (args === undefined && !required) return {};
  if (typeof args !== "object" || args === null || Array.isArray(args) || pulumi.Output.isInstance(args))
    throw argumentError(fn, `an object of arguments is expected, got ${describeValue(args)}`, args);
  return args;
}

/**
 * One share of the configured user (or `userId`): `GET /koodrive/ose/v1/share/{shareId}`. Runs in the program, so
 * it calls KooDrive during `preview` too. Fails naming the share and the user when it does not exist.
 */
export async function getShare(args: GetShareArgs): Promise<ShareInfo> {
  const given = argumentsOf("getShare", args, true);
  const shareId = checkedId("getShare", "shareId", given.shareId);
  const userId = given.userId === undefined ? undefined : checkedId("getShare", "userId", given.userId);
  const ctx = programContext();
  const share = await findShare(ctx.client(userId), shareId);
  if (share === undefined) throw programError(shareNotFound(shareId, ctx.userId(userId), "getShare has nothing to return").message);
  return shareInfoFrom(share);
}

/**
 * Every share of the configured user (or `userId`), all pages of `GET /koodrive/ose/v1/share`, optionally only those
 * whose display name contains `displayName`. Runs in the program, so it calls KooDrive during `preview` too.
 */
export async function listShares(args: ListSharesArgs = {}): Promise<ListSharesResult> {
  const given = argumentsOf("listShares", args, false);
  const userId = given.userId === undefined ? undefined : checkedId("listShares", "userId", given.userId);
  if (given.displayName !== undefined && typeof given.displayName !== "string") {
    throw argumentError("listShares", `displayName must be a string, got ${describeValue(given.displayName)}`, given.displayName);
  }
  const needle = given.displayName?.toLowerCase();
  const ctx = programContext();
  const all = (await listAllShares(ctx.client(userId))).map(shareInfoFrom);
  return { shares: needle === undefined ? all : all.filter((s) => (s.displayName ?? "").toLowerCase().includes(needle)) };
}

/**
 * Now on KooDrive's clock, as this process learned it from the answers to its lookups (`Date` headers); the local
 * clock before any answer. For judging what a lookup returned (a share's `expireTime`) as KooDrive does, whatever
 * the local clock says.
 */
export function kooDriveClockNow(): Date {
  return programContext().now();
}

/**
 * {@link getShare} for Output arguments. The access code is a secret: Pulumi tracks secrecy per Output, so the
 * result is a secret Output as a whole when the share has a code (`pulumi.unsecret` a non-secret field if needed).
 */
export function getShareOutput(args: Inputs<GetShareArgs>): pulumi.Output<ShareInfo> {
  return pulumi
    .output(args)
    .apply((plainArgs) => getShare(plainArgs))
    .apply((info) => (info.extractCode === undefined ? pulumi.output(info) : pulumi.secret(info)));
}

/** {@link listShares} for Output arguments; a secret Output when any listed share has an access code. */
export function listSharesOutput(args: Inputs<ListSharesArgs> = {}): pulumi.Output<ListSharesResult> {
  return pulumi
    .output(args)
    .apply((plainArgs) => listShares(plainArgs))
    .apply((result) => (result.shares.some((s) => s.extractCode !== undefined) ? pulumi.secret(result) : pulumi.output(result)));
}
