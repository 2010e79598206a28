import { definedFields } from "../client/definedFields";
import { type ShareLink, fileIdsOf, sharedAt } from "../client/shareLink";
import type { ShareStatus } from "../resources/common/linkState";
import { kooDriveTimeOutput } from "../time/koodriveTime";

/**
 * A share as the lookups report it: everything KooDrive shows its owner, including the volatile fields the
 * resources do not keep in state (counters, display name, space, share time, owner, scope).
 */
export interface ShareInfo {
  shareId: string;
  /** Short code of the link. */
  shortUrl?: string;
  /** The link. */
  linkUrl?: string;
  /** Access code (a secret in the Output forms). */
  extractCode?: string;
  /** Sharing message. */
  comment?: string;
  /** Absolute expiry, ISO-8601 in UTC (as KooDrive wrote it if in no form it documents); absent when the link has no validity period. */
  expireTime?: string;
  /** 0 valid until `expireTime`, 1 files deleted, 2 invalid or expired, 3 expired. */
  status?: ShareStatus;
  /** 1 external link, 2 enterprise users (enterprise edition), 3 specified enterprise users. */
  scope?: number;
  /** The shared file's name, or "<first file> and more files". */
  displayName?: string;
  /** The space holding the files. */
  containerId?: string;
  /** When the share was created (ISO-8601 in UTC). */
  shareTime?: string;
  /** When its settings last changed, ISO-8601 in UTC (detail lookups only). */
  updateTime?: string;
  /** The owning user (detail lookups only). */
  ownerId?: string;
  /** Shared file IDs, when KooDrive lists them (list lookups on editions that return `files`). */
  fileIds?: string[];
  viewCount?: number;
  downloadCount?: number;
  saveCount?: number;
}

/** KooDrive's share fields as a {@link ShareInfo}: named, typed and without fields it did not send. */
export function shareInfoFrom(link: ShareLink): ShareInfo {
  const info: ShareInfo = {
    shareId: link.shareId,
    shortUrl: link.shortUrl,
    linkUrl: link.linkUrl,
    extractCode: link.extractCode || undefined,
    comment: link.comment,
    expireTime: kooDriveTimeOutput(link.expireTime),
    status: link.status as ShareStatus | undefined,
    scope: link.scope,
    displayName: link.displayName,
    containerId: link.containerId,
    shareTime: kooDriveTimeOutput(sharedAt(link)),
    updateTime: kooDriveTimeOutput(link.updateTime),
    ownerId: link.ownerId,
    fileIds: fileIdsOf(link),
    viewCount: link.viewCnt,
    downloadCount: link.downloadCnt,
    saveCount: link.saveCnt,
  };
  return definedFields(info) as ShareInfo;
}
