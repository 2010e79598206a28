import type { Edition } from "./bodyRules";
import type { SharePermission, StoredShare } from "./shareStore";

/** A share as the detail, list and admin APIs show it (counters as numbers). */
export interface ShareView {
  shareId: string;
  shortUrl: string;
  linkUrl: string;
  shareTime: string;
  /** Absent: no validity period. */
  expireTime?: string;
  scope: number;
  extractCode?: string;
  displayName: string;
  /** 0 valid until expireTime, 1 files deleted, 2 invalid or expired (3 expired, enterprise modify answer only). */
  status: number;
  comment?: string;
  ownerId: string;
  containerId: string;
  viewCnt: number;
  downloadCnt: number;
  saveCnt: number;
  updateTime: string;
  /** Enterprise edition only. */
  permission?: SharePermission;
}

/**
 * One shared file in a list item (ShareFileInfo, koodrive-api.md §6.5: `id`, `fileName`, `fileType`, `mimeType`,
 * `size`, `parentFolder`, `fileSuffix`, ...). The emulator knows a share's files by ID only, so it sends `id` and, as
 * the name, the ID (the name `displayName` is built from); the fields it cannot know are left out.
 */
export interface ShareFileInfo {
  id: string;
  fileName: string;
}

/** A list item (ShareByMeLink, koodrive-api.md §6.3): the share without `ownerId` and `updateTime`, with its `files`. */
export type ShareListItem = Omit<ShareView, "ownerId" | "updateTime"> & { files: ShareFileInfo[] };

/** The modify API's field table types the counters as strings (koodrive-api.md §6.2). */
export type ModifiedShareView = Omit<ShareView, "viewCnt" | "downloadCnt" | "saveCnt"> & { viewCnt: string; downloadCnt: string; saveCnt: string };

/** What a view depends on besides the share. */
export interface ViewContext {
  nowMs: number;
  baseUrl: string;
  edition: Edition;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The share as its owner sees it. A link past its expireTime shows status 2 on list and detail pages, which document
 * 2 as "invalid or expired"; `expiredStatus` 3 is for the enterprise modify answer, whose page documents 3 = expired.
 */
export function shareView(s: StoredShare, ctx: ViewContext, expiredStatus: 2 | 3 = 2): ShareView {
  const expired = s.status === 0 && s.expireTime !== undefined && ctx.nowMs > s.expireTime;
  const view: ShareView = {
    shareId: s.shareId,
    shortUrl: s.shortUrl,
    linkUrl: `${ctx.baseUrl}/cloudfile/#/sharelink/i/${s.shortUrl}`,
    shareTime: iso(s.shareTime),
    scope: s.scope,
    displayName: s.displayName,
    status: expired ? expiredStatus : s.status,
    ownerId: s.ownerId,
    containerId: s.containerId,
    viewCnt: s.viewCnt,
    downloadCnt: s.downloadCnt,
    saveCnt: s.saveCnt,
    updateTime: iso(s.updateTime),
  };
  if (s.expireTime !== undefined) view.expireTime = iso(s.expireTime);
  if (s.extractCode !== undefined) view.extractCode = s.extractCode;
  if (s.comment !== undefined) view.comment = s.comment;
  if (ctx.edition === "enterprise") view.permission = { ...(s.permission ?? DEFAULT_PERMISSION) };
  return view;
}

/** The share as a list page shows it (§6.3): its files, one entry per file ID it was created or seeded with, in that order. */
export function shareListItem(s: StoredShare, ctx: ViewContext): ShareListItem {
  const { ownerId: _owner, updateTime: _updated, ...item } = shareView(s, ctx);
  return { ...item, files: s.fileIds.map((id) => ({ id, fileName: id })) };
}

/** The modify answer: the view with string counters, and status 3 for an expired link on the enterprise edition. */
export function modifiedShareView(s: StoredShare, ctx: ViewContext): ModifiedShareView {
  const v = shareView(s, ctx, ctx.edition === "enterprise" ? 3 : 2);
  return { ...v, viewCnt: String(v.viewCnt), downloadCnt: String(v.downloadCnt), saveCnt: String(v.saveCnt) };
}

/** What an enterprise share allows when its creator sent no permission. */
export const DEFAULT_PERMISSION: SharePermission = { preview: true, edit: false, download: true };

/** KooDrive shows a multi-file share as "<first file> and more files". */
export function displayNameFor(fileIds: string[]): string {
  return fileIds.length > 1 ? `${fileIds[0]} and more files` : (fileIds[0] ?? "");
}

/** How much the share answers carry (the `answers` option): one list, and the type from it. */
export const ANSWER_FIELDS = ["full", "documented", "lean"] as const;
export type AnswerFields = (typeof ANSWER_FIELDS)[number];

export function isAnswerFields(value: string): value is AnswerFields {
  return (ANSWER_FIELDS as readonly string[]).includes(value);
}

/** The fields koodrive-api.md §6.4 documents for the details answer (its `depts`, `groups`, `users` are not modelled). */
const DETAIL_FIELDS = ["shareId", "shortUrl", "linkUrl", "shareTime", "scope", "displayName", "permission", "extractCode", "expireTime", "status", "comment"];
/** §6.2's table for the modify answer (without `ownerId`, `containerId`, `comment`: only the carrier example has them). */
const MODIFY_FIELDS = [
  "shareId",
  "shortUrl",
  "extractCode",
  "createTime",
  "updateTime",
  "expireTime",
  "linkUrl",
  "shareTime",
  "scope",
  "displayName",
  "status",
  "viewCnt",
  "downloadCnt",
  "saveCnt",
];
/** The enterprise edition's example modify answer, the leanest §5.4 shows. */
const LEAN_MODIFY_FIELDS = ["shareId", "shortUrl", "extractCode", "createTime", "updateTime", "expireTime"];
/** §5.1's create answer; `createTime` only "on some page versions", so a lean one leaves it out. */
const LEAN_CREATE_FIELDS = ["shareId", "shortUrl", "linkUrl", "extractCode", "comment", "expireTime"];

/** The fields an answer of `kind` carries under `answers`; undefined for all of them. */
function answerFieldList(answers: AnswerFields, kind: "detail" | "modify" | "create"): readonly string[] | undefined {
  if (answers === "full") return undefined;
  if (kind === "detail") return DETAIL_FIELDS;
  if (kind === "modify") return answers === "lean" ? LEAN_MODIFY_FIELDS : MODIFY_FIELDS;
  return answers === "lean" ? LEAN_CREATE_FIELDS : undefined;
}

/** `view` cut to the fields an answer of `kind` carries under `answers`. */
export function answerView(view: object, answers: AnswerFields, kind: "detail" | "modify" | "create"): Record<string, unknown> {
  const fields = answerFieldList(answers, kind);
  return Object.fromEntries(Object.entries(view).filter(([key]) => fields === undefined || fields.includes(key)));
}
