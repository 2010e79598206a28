import {
  type Edition,
  FILE_IDS_RULE,
  MAX_DISPLAY_NAME,
  MAX_VALID_DAYS,
  SCOPES,
  integerIn,
  isAccessCode,
  isComment,
  isFileIdList,
  isNumericId,
  isObject,
  expiryFromValidDays,
  parseExpireTime,
  isTime,
  MAX_TIME_MS,
  ACCESS_CODE_RULE,
  COMMENT_RULE,
} from "./bodyRules";
import type { EmulatorClock } from "./clock";
import type { FaultInjector } from "./faults";
import { type AuthConfig, tokenFromAuthorization } from "./requestAuth";
import type { RequestLog } from "./requestLog";
import { STORED_STATUSES, type SharePermission, type ShareStore, type StoredShare, isCounter } from "./shareStore";
import { type AnswerFields, type ShareView, type ViewContext, displayNameFor, shareView } from "./shareView";

/** A share to create directly, bypassing auth (admin API / test setup). */
export interface ShareSeed {
  /** Numeric KooDrive user ID of the owner. */
  ownerId: string;
  /** Numeric, at most 19 digits like KooDrive's; default: the next free 19-digit ID. */
  shareId?: string;
  containerId?: string;
  displayName?: string;
  /** 1 to 100 file IDs; default one generated ID. */
  fileIds?: string[];
  /** 1 or 3 (carrier), 1, 2 or 3 (enterprise); default 1. */
  scope?: number;
  extractCode?: string;
  comment?: string;
  /** 0–365; 0 = no validity period (default 7). */
  validDays?: number;
}

/** Fields an out-of-band change (`PATCH /__admin/shares/{id}`) may set. */
export interface ShareChange {
  /** null removes the access code. */
  extractCode?: string | null;
  /** null removes the comment. */
  comment?: string | null;
  /** ISO-8601 or `yyyy-MM-dd HH:mm:ss`; null removes the validity period. */
  expireTime?: string | null;
  /** 0 active, 1 files deleted, 2 invalid. */
  status?: number;
  viewCnt?: number;
  downloadCnt?: number;
  saveCnt?: number;
}

/** A seed or change that breaks a rule; the message names the field and the rule. */
export class InputError extends Error {
  override name = "InputError";
}

const SEED_KEYS = ["ownerId", "shareId", "containerId", "displayName", "fileIds", "scope", "extractCode", "comment", "validDays"];
const CHANGE_KEYS = ["extractCode", "comment", "expireTime", "status", "viewCnt", "downloadCnt", "saveCnt"];
const DEFAULT_CONTAINER = "IAAB5thdWzxEoAsiA1681759183084696448";

function unknownKeyProblem(input: Record<string, unknown>, known: string[]): string | undefined {
  const unknown = Object.keys(input).find((k) => !known.includes(k));
  return unknown === undefined ? undefined : `unknown field "${unknown.slice(0, 64)}" (known: ${known.join(", ")})`;
}

function seedProblem(s: unknown, edition: Edition, store: ShareStore): string | undefined {
  if (!isObject(s)) return "a share seed must be a JSON object";
  const unknown = unknownKeyProblem(s, SEED_KEYS);
  if (unknown) return unknown;
  if (!isNumericId(s.ownerId)) return "ownerId (a numeric KooDrive user ID) is required";
  if (s.shareId !== undefined && (!isNumericId(s.shareId) || s.shareId.length > 19 || store.has(s.shareId)))
    return "shareId must be a new numeric ID of at most 19 digits";
  if (s.containerId !== undefined && (typeof s.containerId !== "string" || s.containerId === "")) return "containerId must be a non-empty string";
  if (s.displayName !== undefined && (typeof s.displayName !== "string" || s.displayName.length > MAX_DISPLAY_NAME))
    return `displayName must be a string of at most ${MAX_DISPLAY_NAME} characters`;
  if (s.fileIds !== undefined && !isFileIdList(s.fileIds)) return FILE_IDS_RULE;
  if (s.scope !== undefined && !SCOPES[edition].includes(s.scope as number))
    return `scope must be one of ${SCOPES[edition].join(", ")} on the ${edition} edition`;
  if (s.extractCode !== undefined && !isAccessCode(s.extractCode)) return ACCESS_CODE_RULE;
  if (s.comment !== undefined && !isComment(s.comment)) return COMMENT_RULE;
  if (s.validDays !== undefined && !integerIn(s.validDays, 0, MAX_VALID_DAYS)) return `validDays must be an integer from 0 to ${MAX_VALID_DAYS}`;
  return undefined;
}

function changeProblem(c: unknown): string | undefined {
  if (!isObject(c)) return "a share change must be a JSON object";
  const unknown = unknownKeyProblem(c, CHANGE_KEYS);
  if (unknown) return unknown;
  if (c.extractCode !== undefined && c.extractCode !== null && !isAccessCode(c.extractCode)) return `${ACCESS_CODE_RULE} (or null to remove it)`;
  if (c.comment !== undefined && c.comment !== null && !isComment(c.comment)) return `${COMMENT_RULE} (or null to remove it)`;
  if (c.expireTime !== undefined && c.expireTime !== null) {
    if (!isTime(typeof c.expireTime === "string" ? parseExpireTime(c.expireTime) : undefined))
      return "expireTime must be ISO-8601 or yyyy-MM-dd HH:mm:ss between 1970 and 9999 (or null for no validity period)";
  }
  if (c.status !== undefined && !STORED_STATUSES.includes(c.status as 0)) return "status must be 0 (active), 1 (files deleted) or 2 (invalid)";
  for (const k of ["viewCnt", "downloadCnt", "saveCnt"]) if (c[k] !== undefined && !isCounter(c[k])) return `${k} must be a non-negative integer`;
  return undefined;
}

/** The fields of a new share, from an API create or a seed, already validated. */
export interface NewShare {
  ownerId: string;
  shareId?: string;
  containerId: string;
  fileIds: string[];
  scope: number;
  displayName?: string;
  extractCode?: string;
  comment?: string;
  permission?: SharePermission;
  /** 0 = no validity period. */
  validDays: number;
  /** Explicit expiry (create's `expireTime`), instead of one from validDays. */
  expireTime?: number;
}

/**
 * Everything the emulator holds: shares, credentials, faults, clock and request log, and the operations on them
 * that both the admin HTTP API and the programmatic facade use, so a seed or change is validated once, one way.
 */
export class EmulatorState {
  baseUrl = "";
  /** List pages before the end come partial or empty (`partialPages` option), as KooDrive's may. */
  partialPages = false;
  /** Successful share-API answers use the other documented wire forms (`alternateForms` option). */
  alternateForms = false;
  /** How much the share answers carry (`answers` option). */
  answers: AnswerFields = "full";

  constructor(
    readonly edition: Edition,
    readonly store: ShareStore,
    readonly auth: AuthConfig,
    readonly faults: FaultInjector,
    readonly clock: EmulatorClock,
    readonly requests: RequestLog,
  ) {}

  viewContext(): ViewContext {
    return { nowMs: this.clock.now(), baseUrl: this.baseUrl, edition: this.edition };
  }

  /** The share as the detail API shows it to its owner. */
  view(share: StoredShare): ShareView {
    return shareView(share, this.viewContext());
  }

  /** Stores a new share; the caller has checked the fields against the API's rules. */
  create(fields: NewShare): StoredShare {
    const now = this.clock.now();
    const expireTime = fields.expireTime ?? expiryFromValidDays(fields.validDays, now);
    if (expireTime !== undefined && expireTime > MAX_TIME_MS) throw new InputError("the expiry would fall after the year 9999");
    return this.store.insert({
      ownerId: fields.ownerId,
      shareId: fields.shareId,
      containerId: fields.containerId,
      fileIds: fields.fileIds,
      scope: fields.scope,
      displayName: fields.displayName ?? displayNameFor(fields.fileIds),
      ...(fields.extractCode !== undefined ? { extractCode: fields.extractCode } : {}),
      ...(fields.comment !== undefined ? { comment: fields.comment } : {}),
      ...(fields.permission !== undefined ? { permission: fields.permission } : {}),
      shareTime: now,
      updateTime: now,
      ...(expireTime !== undefined ? { expireTime } : {}),
      status: 0,
      viewCnt: 0,
      downloadCnt: 0,
      saveCnt: 0,
    });
  }

  /** Creates a share directly, as its owner would have; throws an InputError naming the field and rule. */
  seed(input: unknown): ShareView {
    const problem = seedProblem(input, this.edition, this.store);
    if (problem) throw new InputError(problem);
    const s = input as ShareSeed;
    const fileIds = s.fileIds ?? [`file-${this.store.size + 1}`];
    return this.view(
      this.create({
        ownerId: s.ownerId,
        shareId: s.shareId,
        containerId: s.containerId ?? DEFAULT_CONTAINER,
        fileIds,
        scope: s.scope ?? 1,
        displayName: s.displayName,
        extractCode: s.extractCode,
        comment: s.comment,
        validDays: s.validDays ?? 7,
      }),
    );
  }

  /** Changes a share behind the API's back (drift); throws an InputError for an unknown share or a bad change. */
  change(shareId: string, input: unknown): ShareView {
    const share = this.store.get(shareId);
    if (!share) throw new InputError(`no share ${shareId.slice(0, 64)}`);
    const problem = changeProblem(input);
    if (problem) throw new InputError(problem);
    const c = input as ShareChange;
    this.store.change(
      share,
      (s) => {
        if (c.extractCode !== undefined) setOptional(s, "extractCode", c.extractCode);
        if (c.comment !== undefined) setOptional(s, "comment", c.comment);
        if (c.expireTime !== undefined) setOptional(s, "expireTime", c.expireTime === null ? null : parseExpireTime(c.expireTime));
        if (c.status !== undefined) s.status = c.status;
        for (const k of ["viewCnt", "downloadCnt", "saveCnt"] as const) if (c[k] !== undefined) s[k] = c[k]!;
      },
      this.clock.now(),
    );
    return this.view(share);
  }

  /** Makes a token expired, as if idle for longer than its lifetime. */
  expireToken(token: string): void {
    this.auth.expiredTokens.add(tokenFromAuthorization(token));
  }
}

/** Sets an optional field, or removes it for null/undefined (so views and the state file never carry `null`). */
function setOptional<K extends "extractCode" | "comment" | "expireTime">(s: StoredShare, key: K, value: StoredShare[K] | null | undefined): void {
  if (value === null || value === undefined) delete s[key];
  else s[key] = value;
}
