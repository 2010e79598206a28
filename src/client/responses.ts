import * as z from "../zod";

/** A number the API may send as a JSON number or a numeric string (counters, `status`, `scope`). */
const lenientNumber = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v));

/** Success `code`: the docs declare a string, the examples send the number 0. */
const successCode = z.union([z.literal(0), z.literal("0")]);

/** A field KooDrive may leave out or send as `null`: both read as absent (a `null` must not void the whole answer). */
function nullishAsAbsent<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .transform((value) => value ?? undefined)
    .optional();
}

/** Error envelope: `{code, msg}`, or the enterprise `{error: {errorCode, errorMsg}}`, or the gateway's `error_code`. */
export const errorBodySchema = z.looseObject({
  code: nullishAsAbsent(z.union([z.number(), z.string()])),
  msg: nullishAsAbsent(z.string()),
  message: nullishAsAbsent(z.string()),
  error: nullishAsAbsent(z.looseObject({ errorCode: nullishAsAbsent(z.union([z.number(), z.string()])), errorMsg: nullishAsAbsent(z.string()) })),
  error_code: nullishAsAbsent(z.union([z.number(), z.string()])),
  error_msg: nullishAsAbsent(z.string()),
});

/** A text field KooDrive may leave out or send as `null`; both mean "absent". */
const optionalText = nullishAsAbsent(z.string());

/** A share link as returned by the detail, modify and create APIs (fields vary by API and edition). */
export const shareLinkSchema = z.looseObject({
  shareId: z.string().min(1),
  shortUrl: optionalText,
  linkUrl: optionalText,
  extractCode: optionalText,
  comment: optionalText,
  shareTime: optionalText,
  createTime: optionalText,
  updateTime: optionalText,
  expireTime: optionalText,
  scope: lenientNumber.optional(),
  status: lenientNumber.optional(),
  displayName: optionalText,
  ownerId: optionalText,
  containerId: optionalText,
  viewCnt: lenientNumber.optional(),
  downloadCnt: lenientNumber.optional(),
  saveCnt: lenientNumber.optional(),
});

/** A share link with its counters and enumerations normalised to numbers. */
export type ShareLink = z.infer<typeof shareLinkSchema>;

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

/** `GET /share/{id}`, `PUT /share/{id}`, `POST /share`. */
export const shareLinkResponseSchema = z.looseObject({ code: successCode, msg: z.string().optional(), shareLink: shareLinkSchema });

/** `GET /share`. */
export const shareListResponseSchema = z.looseObject({
  code: successCode,
  nextCursor: z.string().optional(),
  shareLinks: z.array(shareLinkSchema).default([]),
});

/** `POST /share/cancel`; per-item messages come as `msg` or (sibling APIs) `message`. */
export const cancelResponseSchema = z.looseObject({
  code: successCode,
  subResponseList: z
    .array(
      z.looseObject({ shareId: z.string().optional(), code: z.union([z.number(), z.string()]), msg: z.string().optional(), message: z.string().optional() }),
    )
    .default([]),
});

/** Result of one id in a batch cancel. */
export interface CancelResult {
  shareId?: string;
  /** `"0"` on success. */
  code: string;
  msg?: string;
}
