import { createHash, createHmac } from "node:crypto";

/** Algorithm name used both in the string-to-sign and as the `Authorization` scheme. */
const APP_AUTH_ALGORITHM = "HMAC-SHA256";

/** What goes into one app-auth signature (KooDrive API reference, "APP鉴权生成规则", steps 1–4). */
export interface SignableRequest {
  method: string;
  /** Path without query, e.g. `/koodrive/ose/v1/share/123`. */
  path: string;
  /** Query parameters, unencoded. */
  query?: Record<string, string>;
  /** Headers to sign, by any case; must include `x-date` and `x-user-id`. */
  headers: Record<string, string>;
  /** The exact body bytes sent ("" for none). */
  body: string;
}

/** RFC 3986 encoding: everything but `A–Z a–z 0–9 - _ . ~` as upper-case `%XY`. */
function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Normalised absolute path, each segment encoded, always ending in `/` (KooDrive signs `/share/123/`). */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(rfc3986Encode(decodeURIComponent(segment)));
  }
  return `/${segments.join("/")}${segments.length > 0 ? "/" : ""}`;
}

/** Parameters sorted by unencoded name in character-code order (as Huawei's gateway signer does), `name=value` joined with `&` (empty value keeps `=`). */
export function canonicalQueryString(query: Record<string, string> = {}): string {
  return Object.keys(query)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${rfc3986Encode(name)}=${rfc3986Encode(query[name] ?? "")}`)
    .join("&");
}

function sha256Hex(data: string): string {
  return createHash("sha256").update(data, "utf8").digest("hex");
}

/** Step 1: the canonical request and the signed-header list it used. */
export function canonicalRequest(request: SignableRequest): { canonical: string; signedHeaders: string } {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(";");
  const canonicalHeaders = headers.map(([name, value]) => `${name}:${value}\n`).join("");
  const canonical = [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQueryString(request.query),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body),
  ].join("\n");
  return { canonical, signedHeaders };
}

/** Step 2: `HMAC-SHA256\n` + hex SHA-256 of the canonical request. */
export function stringToSign(canonical: string): string {
  return `${APP_AUTH_ALGORITHM}\n${sha256Hex(canonical)}`;
}

/** Steps 1–4: the full `Authorization` header value for app auth. */
export function appAuthorization(request: SignableRequest, appId: string, appSecret: string): string {
  const { canonical, signedHeaders } = canonicalRequest(request);
  const signature = createHmac("sha256", appSecret).update(stringToSign(canonical), "utf8").digest("hex");
  return `${APP_AUTH_ALGORITHM} AppId=${appId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}
