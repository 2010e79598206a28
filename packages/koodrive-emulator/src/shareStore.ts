import fs from "node:fs";
import path from "node:path";
import { clockOffsetProblem } from "./clock";
import { StateFileLock } from "./stateFileLock";
import {
  ACCESS_CODE_RULE,
  COMMENT_RULE,
  FILE_IDS_RULE,
  type ListKey,
  PERMISSION_KEYS,
  integerIn,
  isAccessCode,
  isComment,
  isFileIdList,
  isNumericId,
  isObject,
  isTime,
} from "./bodyRules";

/** `SharePermission` (enterprise edition; documented as "supported in the future"). */
export interface SharePermission {
  preview: boolean;
  edit: boolean;
  download: boolean;
}

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
  permission?: SharePermission;
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

/** Statuses that can be stored (3 "expired" is only ever derived). */
export const STORED_STATUSES = [0, 1, 2] as const;

/** Share IDs look like KooDrive's 19-digit snowflake IDs; the short URL code is the next number, as in the docs. */
const FIRST_SHARE_ID = 1689743054514187776n;

/**
 * A first share ID of its own for an emulator started at `nowMs`: even, 19 digits, and later for every later
 * millisecond, so a stack kept from an earlier emulator run cannot find a new share under one of its old IDs.
 */
export function firstShareIdAt(nowMs: number): string {
  return String(FIRST_SHARE_ID + BigInt(Math.max(0, Math.floor(nowMs))) * 1000n);
}

export function isCounter(v: unknown): v is number {
  return integerIn(v, 0, Number.MAX_SAFE_INTEGER);
}

/** The rule a stored time breaks (integer epoch milliseconds from 1970 to year 9999), naming the bound it crosses. */
function timeProblem(key: string, v: unknown): string | undefined {
  if (isTime(v)) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) return `${key} must be an integer number of epoch milliseconds`;
  return v < 0 ? `${key} must not be before 1970-01-01 (epoch milliseconds of 0 or more)` : `${key} must be epoch milliseconds up to year 9999`;
}

/** Every rule a stored share obeys; the first broken one, naming the field, or undefined. */
function storedShareProblem(s: unknown): string | undefined {
  if (!isObject(s)) return "must be a JSON object";
  if (!isNumericId(s.shareId)) return "shareId must be a numeric ID";
  if (!isNumericId(s.shortUrl)) return "shortUrl must be a numeric code";
  if (!isNumericId(s.ownerId)) return "ownerId must be a numeric user ID";
  if (typeof s.containerId !== "string" || s.containerId === "") return "containerId must be a non-empty string";
  if (!isFileIdList(s.fileIds)) return FILE_IDS_RULE;
  if (!integerIn(s.scope, 1, 3)) return "scope must be 1, 2 or 3";
  if (typeof s.displayName !== "string") return "displayName must be a string";
  if (s.extractCode !== undefined && !isAccessCode(s.extractCode)) return ACCESS_CODE_RULE;
  if (s.comment !== undefined && !isComment(s.comment)) return COMMENT_RULE;
  if (
    s.permission !== undefined &&
    !(isObject(s.permission) && PERMISSION_KEYS.every((k) => typeof (s.permission as Record<string, unknown>)[k] === "boolean"))
  ) {
    return "permission must be {preview, edit, download} booleans";
  }
  for (const k of ["shareTime", "updateTime", "expireTime"] as const) {
    const problem = k === "expireTime" && s[k] === undefined ? undefined : timeProblem(k, s[k]);
    if (problem) return problem;
  }
  if (!STORED_STATUSES.includes(s.status as 0)) return "status must be 0, 1 or 2";
  for (const k of ["viewCnt", "downloadCnt", "saveCnt"] as const) if (!isCounter(s[k])) return `${k} must be a non-negative integer`;
  return undefined;
}

/** The list's ascending order: share time, then share ID (as text); 0 only for the same share. */
export function compareListKeys(a: ListKey, b: ListKey): number {
  return a.shareTime - b.shareTime || (a.shareId < b.shareId ? -1 : a.shareId > b.shareId ? 1 : 0);
}

/** A state file that cannot be used; the message names the file and the entry. */
export class StateFileError extends Error {
  override name = "StateFileError";
}

/** A change that could not be saved to the state file; the store rolled it back, so nothing changed. */
export class StateSaveError extends Error {
  override name = "StateSaveError";
}

/** Reads and checks a state file; throws a StateFileError naming the file and the first bad entry. */
function loadState(file: string): { nextId: bigint; shares: StoredShare[]; clockOffsetMs?: number } {
  const fail = (what: string): never => {
    throw new StateFileError(`state file ${file}: ${what}`);
  };
  let saved: unknown;
  try {
    saved = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    fail(`cannot be read as JSON (${(e as Error).message})`);
  }
  if (!isObject(saved) || !Array.isArray(saved.shares)) return fail('must be {"nextId": "<digits>", "shares": [...]}');
  if (!isNumericId(saved.nextId)) return fail("nextId must be a numeric ID");
  const clockProblem = saved.clockOffsetMs === undefined ? undefined : clockOffsetProblem("clockOffsetMs", saved.clockOffsetMs);
  if (clockProblem) return fail(clockProblem);
  const seen = new Set<string>();
  saved.shares.forEach((share: unknown, i: number) => {
    const problem = storedShareProblem(share);
    const label = `shares[${i}]${isObject(share) && typeof share.shareId === "string" ? ` (shareId ${share.shareId.slice(0, 40)})` : ""}`;
    if (problem) fail(`${label}: ${problem}`);
    const id = (share as StoredShare).shareId;
    if (seen.has(id)) fail(`${label}: shareId appears twice`);
    seen.add(id);
  });
  return { nextId: BigInt(saved.nextId), shares: saved.shares as StoredShare[], clockOffsetMs: saved.clockOffsetMs as number | undefined };
}

/**
 * The real path of a state file, resolved once at start: through symlinks (also one to a file not made yet) and
 * against the folder the emulator started in. Two spellings of one file (a link, a relative path) are then one lock,
 * a save replaces the file itself rather than the link to it, and a later `chdir` moves nothing.
 */
function realStateFile(file: string): string {
  let at = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    try {
      return fs.realpathSync(at);
    } catch {
      // not there yet, or a link to a file not there yet
    }
    let target: string;
    try {
      target = fs.readlinkSync(at);
    } catch {
      break; // not a link: a file still to be made
    }
    // Relative to the link's real folder, as the kernel reads it: through a linked folder, `..` is that folder's parent.
    at = path.resolve(realFolder(path.dirname(at)), target);
  }
  return path.join(realFolder(path.dirname(at)), path.basename(at));
}

/** A folder's real path; as given when it is missing (the test write at start then says so). */
function realFolder(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return folder;
  }
}

/**
 * In-memory share table with optional atomic persistence to a JSON file (mode 0600: it holds access codes), which also
 * keeps the clock's offset: a link that expired on a moved clock stays expired after a restart.
 */
export class ShareStore {
  private readonly shares = new Map<string, StoredShare>();
  private nextId = FIRST_SHARE_ID;
  private readonly lock?: StateFileLock;
  /** The state file's real path ({@link realStateFile}); messages name it as the user gave it. */
  private readonly file?: string;
  /** The clock's offset as last saved (or loaded); undefined until a clock or a state file gives one. */
  private clockOffset?: number;

  /** `firstShareId`: the ID of the first share created (digits); a state file's own next ID wins. */
  constructor(
    private readonly stateFile?: string,
    firstShareId?: string,
  ) {
    if (firstShareId !== undefined) {
      if (!/^\d{1,19}$/.test(firstShareId) || BigInt(firstShareId) % 2n !== 0n)
        throw new RangeError("firstShareId must be an even number of at most 19 digits");
      this.nextId = BigInt(firstShareId);
    }
    if (!stateFile) return;
    this.file = realStateFile(stateFile);
    try {
      this.lock = StateFileLock.acquire(this.file);
    } catch (e) {
      throw new StateFileError(`state file ${stateFile}: ${(e as Error).message}`);
    }
    try {
      if (fs.existsSync(this.file)) {
        const saved = loadState(this.file);
        this.nextId = saved.nextId;
        this.clockOffset = saved.clockOffsetMs;
        for (const share of saved.shares) this.shares.set(share.shareId, share);
      }
      // A test write at start: a path that cannot be written (a typo'd folder, no permission) is refused now, not
      // discovered at the first write of a run.
      try {
        this.write();
      } catch (e) {
        throw new StateFileError(`state file ${stateFile}: cannot be written (${(e as Error).message})`);
      }
    } catch (e) {
      this.lock.release();
      throw e;
    }
  }

  /** The clock offset the state file was saved with; undefined without a state file or when it kept none. */
  get savedClockOffsetMs(): number | undefined {
    return this.clockOffset;
  }

  /** Saves the clock's new offset with the shares; throws a StateSaveError (keeping the old one) when it cannot. */
  saveClockOffset(ms: number): void {
    const before = this.clockOffset;
    this.clockOffset = ms;
    this.save(() => {
      this.clockOffset = before;
    });
  }

  /** Lets another emulator use the state file (the emulator closed, or did not start). */
  close(): void {
    this.lock?.release();
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

  /** The owner's shares ordered by share time, then share ID (see `compareListKeys`). */
  listOwned(ownerId: string, ascending: boolean): StoredShare[] {
    const list = [...this.shares.values()].filter((s) => s.ownerId === ownerId);
    list.sort((a, b) => compareListKeys(a, b) * (ascending ? 1 : -1));
    return list;
  }

  /** Whether a share with this ID exists. */
  has(shareId: string): boolean {
    return this.shares.has(shareId);
  }

  /** Adds a share whose fields the caller has validated (`shareId` absent: allocate one). */
  insert(fields: Omit<StoredShare, "shareId" | "shortUrl"> & { shareId?: string }): StoredShare {
    const nextId = this.nextId;
    const shareId = fields.shareId ?? String(this.allocateId());
    const share: StoredShare = { ...fields, shareId, shortUrl: String(BigInt(shareId) + 1n) };
    this.shares.set(shareId, share);
    this.save(() => {
      this.shares.delete(shareId);
      this.nextId = nextId;
    });
    return share;
  }

  /** Applies a change and persists (undone when it cannot be saved). */
  change(share: StoredShare, apply: (s: StoredShare) => void, now: number): StoredShare {
    const before = structuredClone(share);
    apply(share);
    share.updateTime = now;
    this.save(() => {
      for (const key of Object.keys(share) as Array<keyof StoredShare>) if (!(key in before)) delete share[key];
      Object.assign(share, before);
    });
    return share;
  }

  /** Removes a share (stop sharing). */
  remove(shareId: string): void {
    this.removeAll([shareId]);
  }

  /** Removes shares in one change: all of them are saved, or (when the state file cannot be written) none. */
  removeAll(shareIds: string[]): void {
    const removed = shareIds.flatMap((id) => {
      const share = this.shares.get(id);
      return share && this.shares.delete(id) ? [share] : [];
    });
    if (removed.length === 0) return;
    this.save(() => {
      for (const share of removed) this.shares.set(share.shareId, share);
    });
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

  /** Persists the state; when the file cannot be written, runs `undo` and throws a StateSaveError naming the file. */
  private save(undo: () => void): void {
    if (!this.file) return;
    try {
      this.write();
    } catch (e) {
      undo();
      throw new StateSaveError(`state file ${this.stateFile}: cannot be written (${(e as Error).message}); the change was rolled back`);
    }
  }

  /** Write-then-rename so a crash never leaves a half-written state file; 0600 because it holds access codes. */
  private write(): void {
    const file = this.file!;
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    try {
      const saved = { nextId: String(this.nextId), clockOffsetMs: this.clockOffset, shares: [...this.shares.values()] };
      fs.writeFileSync(tmp, JSON.stringify(saved, null, 2), { mode: 0o600 });
      fs.chmodSync(tmp, 0o600);
      fs.renameSync(tmp, file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }
}
