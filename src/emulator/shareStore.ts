import fs from "node:fs";
import path from "node:path";

/** A share as the emulator stores it. Times are epoch milliseconds. */
export interface StoredShare {
  shareId: string;
  shortUrl: string;
  ownerId: string;
  containerId: string;
  fileIds: string[];
  scope: number;
  displayName: string;
  extractCode?: string;
  comment?: string;
  shareTime: number;
  updateTime: number;
  /** Absent: no validity period. */
  expireTime?: number;
  /** Stored status: 0 active, 1 files deleted, 2 invalid. "Expired" is derived from expireTime when read. */
  status: number;
  viewCnt: number;
  downloadCnt: number;
  saveCnt: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Share IDs look like KooDrive's 19-digit snowflake IDs; the short URL code is the next number, as in the docs. */
const FIRST_SHARE_ID = 1689743054514187776n;

/** In-memory share table with optional atomic persistence to a JSON file. */
export class ShareStore {
  private readonly shares = new Map<string, StoredShare>();
  private nextId = FIRST_SHARE_ID;

  constructor(private readonly stateFile?: string) {
    if (stateFile && fs.existsSync(stateFile)) {
      const saved = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { nextId: string; shares: StoredShare[] };
      this.nextId = BigInt(saved.nextId);
      for (const share of saved.shares) this.shares.set(share.shareId, share);
    }
  }

  /** The share if it exists and belongs to `ownerId` (another user's share is "not found", as on KooDrive). */
  owned(shareId: string, ownerId: string): StoredShare | undefined {
    const share = this.shares.get(shareId);
    return share && share.ownerId === ownerId ? share : undefined;
  }

  /** Any share, regardless of owner (admin API). */
  get(shareId: string): StoredShare | undefined {
    return this.shares.get(shareId);
  }

  /** The owner's shares ordered by share time. */
  listOwned(ownerId: string, ascending: boolean): StoredShare[] {
    const list = [...this.shares.values()].filter((s) => s.ownerId === ownerId);
    list.sort((a, b) => (a.shareTime - b.shareTime || (a.shareId < b.shareId ? -1 : 1)) * (ascending ? 1 : -1));
    return list;
  }

  /** Creates a share; `validDays` 0 means no validity period. */
  create(fields: {
    ownerId: string; containerId: string; fileIds: string[]; scope: number; displayName: string;
    extractCode?: string; comment?: string; validDays: number; expireTime?: number; shareId?: string;
  }, now: number): StoredShare {
    const shareId = fields.shareId ?? String(this.allocateId());
    if (!/^\d{1,32}$/.test(shareId)) throw new Error("shareId must be numeric, as KooDrive's are");
    if (this.shares.has(shareId)) throw new Error(`share ${shareId} already exists`);
    const share: StoredShare = {
      shareId,
      shortUrl: String(BigInt(shareId) + 1n),
      ownerId: fields.ownerId,
      containerId: fields.containerId,
      fileIds: fields.fileIds,
      scope: fields.scope,
      displayName: fields.displayName,
      extractCode: fields.extractCode,
      comment: fields.comment,
      shareTime: now,
      updateTime: now,
      expireTime: fields.expireTime ?? (fields.validDays > 0 ? now + fields.validDays * DAY_MS : undefined),
      status: 0,
      viewCnt: 0,
      downloadCnt: 0,
      saveCnt: 0,
    };
    this.shares.set(shareId, share);
    this.save();
    return share;
  }

  /** Applies a change and persists. */
  change(share: StoredShare, apply: (s: StoredShare) => void, now: number): StoredShare {
    apply(share);
    share.updateTime = now;
    this.save();
    return share;
  }

  /** Removes a share (stop sharing). */
  remove(shareId: string): void {
    this.shares.delete(shareId);
    this.save();
  }

  /** Number of shares held. */
  get size(): number {
    return this.shares.size;
  }

  private allocateId(): bigint {
    while (this.shares.has(String(this.nextId))) this.nextId += 2n;
    const id = this.nextId;
    this.nextId += 2n;
    return id;
  }

  /** Write-then-rename so a crash never leaves a half-written state file. */
  private save(): void {
    if (!this.stateFile) return;
    const tmp = path.join(path.dirname(this.stateFile), `.${path.basename(this.stateFile)}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify({ nextId: String(this.nextId), shares: [...this.shares.values()] }, null, 2));
    fs.renameSync(tmp, this.stateFile);
  }
}

/** Validity in days → epoch ms of expiry (0 → none). */
export function expiryFromValidDays(validDays: number, now: number): number | undefined {
  return validDays > 0 ? now + validDays * DAY_MS : undefined;
}
