import type { SameProperties } from "../compileTimeChecks";
import type { ShareLink } from "./shareLink";
import * as z from "../zod";

/** Success `code`: the docs declare a string, the examples send the number 0. */
const successCode = z.union([z.literal(0), z.literal("0")]);

/** A field KooDrive may leave out or send as `null`: both read as absent (a `null` must not void the whole answer). */
function nullishAsAbsent<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .transform((value) => value ?? undefined)
    .optional();
}

/**
 * A field of an error body, read on its own: one of another type (an OAuth-style `"error": "invalid_token"` beside a
 * `code`) is absent, and must not hide the others.
 */
function errorField<T extends z.ZodType>(schema: T) {
  return nullishAsAbsent(schema).catch(undefined);
}

/** Error envelope: `{code, msg}`, or the enterprise `{error: {errorCode, errorMsg}}`, or the gateway's `error_code`. */
export const errorBodySchema = z.looseObject({
  code: errorField(z.union([z.number(), z.string()])),
  msg: errorField(z.string()),
  message: errorField(z.string()),
  error: errorField(z.looseObject({ errorCode: errorField(z.union([z.number(), z.string()])), errorMsg: errorField(z.string()) })),
  error_code: errorField(z.union([z.number(), z.string()])),
  error_msg: errorField(z.string()),
});

/** A text field KooDrive may leave out or send as `null`; both mean "absent". */
const optionalText = nullishAsAbsent(z.string());

/** A number the API may send as a JSON number or a numeric string (counters, `status`, `scope`), or leave out. */
const optionalNumber = nullishAsAbsent(z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v)));

/** A share link as returned by the detail, modify and create APIs (fields vary by API and edition). */
const shareLinkSchema = z.looseObject({
  shareId: z.string().min(1),
  shortUrl: optionalText,
  linkUrl: optionalText,
  extractCode: optionalText,
  comment: optionalText,
  shareTime: optionalText,
  createTime: optionalText,
  updateTime: optionalText,
  expireTime: optionalText,
  scope: optionalNumber,
  status: optionalNumber,
  displayName: optionalText,
  ownerId: optionalText,
  containerId: optionalText,
  viewCnt: optionalNumber,
  downloadCnt: optionalNumber,
  saveCnt: optionalNumber,
});

/**
 * What the schema reads, kept equal to the zod-free {@link ShareLink} at compile time: the package's public types
 * must not name zod (its declarations need `esModuleInterop` or `skipLibCheck`, which users' tsconfigs may not set).
 */
const shareLinkMatchesSchema: SameProperties<ShareLink, z.infer<typeof shareLinkSchema>> = true;
void shareLinkMatchesSchema;

/** `GET /share/{id}`, `PUT /share/{id}`, `POST /share`. */
export const shareLinkResponseSchema = z.looseObject({ code: successCode, msg: optionalText, shareLink: shareLinkSchema });

/** `GET /share`. */
export const shareListResponseSchema = z.looseObject({
  code: successCode,
  nextCursor: optionalText,
  shareLinks: nullishAsAbsent(z.array(shareLinkSchema)).transform((shares) => shares ?? []),
});

/** `POST /share/cancel`; per-item messages come as `msg` or (sibling APIs) `message`. */
export const cancelResponseSchema = z.looseObject({
  code: successCode,
  subResponseList: nullishAsAbsent(
    z.array(z.looseObject({ shareId: optionalText, code: z.union([z.number(), z.string()]), msg: optionalText, message: optionalText })),
  ).transform((results) => results ?? []),
});
