/**
 * A share link as the client returns it, read from KooDrive's answers by the schemas of `responses.ts`. Free of zod:
 * the package's public types reach this file.
 */

/** A share link with its counters and enumerations normalised to numbers; fields KooDrive adds are kept as sent. */
export interface ShareLink {
  shareId: string;
  shortUrl?: string | undefined;
  linkUrl?: string | undefined;
  extractCode?: string | undefined;
  comment?: string | undefined;
  shareTime?: string | undefined;
  createTime?: string | undefined;
  updateTime?: string | undefined;
  expireTime?: string | undefined;
  scope?: number | undefined;
  status?: number | undefined;
  displayName?: string | undefined;
  ownerId?: string | undefined;
  containerId?: string | undefined;
  viewCnt?: number | undefined;
  downloadCnt?: number | undefined;
  saveCnt?: number | undefined;
  [field: string]: unknown;
}

/** File sets compare without order: `[a, b]` and `[b, a]` share the same files. */
export function sameFileSet(a: readonly unknown[], b: readonly unknown[]): boolean {
  const sorted = (ids: readonly unknown[]) => JSON.stringify(ids.map(String).sort());
  return sorted(a) === sorted(b);
}

/**
 * The file IDs of a share, when KooDrive sends its file list (`files[].id`, or plain IDs); undefined when it sends
 * none, or an entry without a readable ID (a list that cannot be read whole cannot be compared).
 */
export function fileIdsOf(link: ShareLink): string[] | undefined {
  const files = (link as { files?: unknown }).files;
  if (!Array.isArray(files)) return undefined;
  const ids: string[] = [];
  for (const file of files) {
    const id = typeof file === "object" && file !== null ? (file as { id?: unknown }).id : file;
    if (typeof id !== "string" && typeof id !== "number") return undefined;
    ids.push(String(id));
  }
  return ids;
}

/** When the share was made: `shareTime`, or `createTime` on the pages that name it so. */
export function sharedAt(link: ShareLink): string | undefined {
  return link.shareTime ?? link.createTime;
}

/** Result of one id in a batch cancel. */
export interface CancelResult {
  shareId?: string;
  /** `"0"` on success. */
  code: string;
  msg?: string;
  /**
   * An earlier attempt of the call may have cancelled the share (its answer was lost and the call was retried), so
   * a "not found" here is most likely that attempt's doing.
   */
  afterUnknownAttempt?: boolean;
}
