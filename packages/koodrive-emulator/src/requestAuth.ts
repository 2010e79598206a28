import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ErrorCodes, type Reply, apiError, invalidParameter } from "./apiErrors";
import { isNumericId } from "./bodyRules";

/**
 * Authentication as the carrier-edition docs state it, implemented independently of the client
 * (sharing code with it would let one mistake pass on both sides).
 */
export interface AuthConfig {
  /** Accepted access tokens (without any `Bearer` prefix). */
  tokens: Set<string>;
  /** App id → app secret, for HMAC-SHA256 app auth. */
  apps: Map<string, string>;
  /** Sliding token lifetime; undefined = tokens never expire. KooDrive's is 20 minutes. */
  tokenTtlMs?: number;
  /** Tokens revoked through the admin API. */
  expiredTokens: Set<string>;
  /** Last use per token, for the sliding lifetime. */
  tokenLastUse: Map<string, number>;
  /** Tolerated clock skew for an `X-Date` in the future. */
  clockSkewMs: number;
  /** Carrier edition requires `X-Hw-Agentname`; the enterprise edition has no such header. */
  requireAgentName: boolean;
}

/** The parts of a request authentication looks at. */
export interface AuthRequest {
  method: string;
  path: string;
  /** Raw query string without `?`. */
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const X_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const WINDOW_MS = 15 * 60 * 1000;

/** A request header by lower-case name; only the request's own: a signed-header list may name `constructor`. */
function header(req: AuthRequest, name: string): string | undefined {
  if (!Object.hasOwn(req.headers, name)) return undefined;
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : typeof v === "string" ? v : undefined;
}

/** Parses `yyyyMMdd'T'HHmmss'Z'`; undefined when malformed or not a real date. */
function parseXDate(value: string): number | undefined {
  const m = X_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? t : undefined;
}

function encodeSegment(s: string): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The transport refuses malformed percent-encodings first; should one get here, it is signed as sent. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function canonicalPath(path: string): string {
  const stack: string[] = [];
  path.split("/").forEach((seg) => {
    if (seg === "" || seg === ".") return;
    if (seg === "..") stack.pop();
    else stack.push(encodeSegment(decoded(seg)));
  });
  const joined = `/${stack.join("/")}`;
  return joined.endsWith("/") ? joined : `${joined}/`;
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === "") return "";
  const pairs = rawQuery
    .split("&")
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf("=");
      const name = decoded((i < 0 ? p : p.slice(0, i)).replace(/\+/g, " "));
      const value = i < 0 ? "" : decoded(p.slice(i + 1).replace(/\+/g, " "));
      return [name, value] as [string, string];
    });
  // Sorted by the unencoded name, as Huawei's API gateway signer does ("%" would otherwise sort before digits).
  pairs.sort((a, b) => (a[0] === b[0] ? 0 : a[0] < b[0] ? -1 : 1));
  return pairs.map(([n, v]) => `${encodeSegment(n)}=${encodeSegment(v)}`).join("&");
}

/** Recomputes the signature KooDrive expects for this request, signing exactly `signedHeaders`. */
export function expectedSignature(req: AuthRequest, signedHeaders: string[], appSecret: string): string {
  const canonicalHeaders = signedHeaders.map((n) => `${n}:${(header(req, n) ?? "").trim()}\n`).join("");
  const payloadHash = createHash("sha256").update(req.body).digest("hex");
  const canonical = `${req.method.toUpperCase()}\n${canonicalPath(req.path)}\n${canonicalQuery(req.rawQuery)}\n${canonicalHeaders}\n${signedHeaders.join(";")}\n${payloadHash}`;
  const toSign = `${APP_AUTH_PREFIX.trim()}\n${createHash("sha256").update(canonical).digest("hex")}`;
  return createHmac("sha256", appSecret).update(toSign).digest("hex");
}

/** The result of authenticating: the acting user and the scheme, or the error to answer with. */
export type AuthOutcome = { ok: true; userId: string; scheme: "token" | "app" } | { ok: false; reply: Reply };

/** Checks identity headers and credentials in the order the gateway would. */
export function authenticate(req: AuthRequest, config: AuthConfig, nowMs: number): AuthOutcome {
  const fail = (reply: Reply): AuthOutcome => ({ ok: false, reply });
  if (config.requireAgentName && !header(req, "x-hw-agentname")?.trim()) return fail(invalidParameter("header X-Hw-Agentname is required"));
  const traceId = header(req, "x-traceid");
  if (traceId !== undefined && traceId.length !== 58) return fail(invalidParameter("header X-Traceid must be 58 characters"));
  const userId = header(req, "x-user-id")?.trim();
  if (!userId) return fail(invalidParameter("header X-User-Id is required"));
  if (!isNumericId(userId)) return fail(invalidParameter("header X-User-Id must be a numeric KooDrive user ID"));
  const xDate = header(req, "x-date");
  if (!xDate) return fail(invalidParameter("header X-Date is required"));
  const signedAt = parseXDate(xDate);
  if (signedAt === undefined) return fail(invalidParameter("header X-Date must be yyyyMMdd'T'HHmmss'Z' (UTC)"));
  if (signedAt > nowMs + config.clockSkewMs) return fail(apiError(400, ErrorCodes.AUTHENTICATION_FAILED, "Authentication failed: X-Date is in the future."));
  if (nowMs - signedAt > WINDOW_MS)
    return fail(apiError(400, ErrorCodes.AUTHENTICATION_FAILED, `Authentication failed: X-Date is more than ${WINDOW_MS / 60_000} minutes old.`));

  const authorization = header(req, "authorization")?.trim();
  if (!authorization) return fail(apiError(401, ErrorCodes.UNAUTHORIZED, "Unauthorized: Authorization header is missing."));
  if (authorization.startsWith(APP_AUTH_PREFIX.trim())) return verifyAppAuth(req, config, authorization, userId);
  return verifyToken(config, authorization, userId, nowMs);
}

/** The scheme of app auth, with the one space the documented form puts before `AppId=`. */
const APP_AUTH_PREFIX = "HMAC-SHA256 ";

/** The fields of an app-auth `Authorization` value in the documented form, or the rule it breaks. */
export type ParsedAppAuth = { ok: true; appId: string; signedHeaders: string; signature: string } | { ok: false; problem: string };

const APP_AUTH_FIELDS = ["AppId", "SignedHeaders", "Signature"] as const;

/**
 * Parses `HMAC-SHA256 AppId=<id>,SignedHeaders=<h1;h2>,Signature=<hex>` strictly as documented (koodrive-api.md §3.2
 * step 4): one space after the scheme, `name=value` with no space around `=` nor after the commas, each of the three
 * names exactly once and spelled as documented. Both the verifier and the request log's redaction use it, so a
 * spelling the verifier would accept is a spelling the log knows how to redact.
 */
export function parseAppAuthorization(value: string): ParsedAppAuth {
  const fail = (problem: string): ParsedAppAuth => ({ ok: false, problem });
  if (!value.startsWith(APP_AUTH_PREFIX)) return fail(`Authorization must start with "${APP_AUTH_PREFIX}"`);
  const fields = new Map<string, string>();
  for (const part of value.slice(APP_AUTH_PREFIX.length).split(",")) {
    const m = /^([A-Za-z]+)=([^\s,=]+)$/.exec(part);
    if (!m)
      return fail(
        "Authorization must carry AppId, SignedHeaders and Signature as AppId=<id>,SignedHeaders=<names>,Signature=<hex>, with no spaces around '=' or after ','",
      );
    const [, name, v] = m as unknown as [string, string, string];
    if (!(APP_AUTH_FIELDS as readonly string[]).includes(name))
      return fail(`Authorization has an unknown field (known: ${APP_AUTH_FIELDS.join(", ")}, spelled so)`);
    if (fields.has(name)) return fail(`Authorization carries ${name} twice`);
    fields.set(name, v);
  }
  const appId = fields.get("AppId");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (appId === undefined || signedHeaders === undefined || signature === undefined) return fail("Authorization must carry AppId, SignedHeaders and Signature");
  return { ok: true, appId, signedHeaders, signature };
}

function verifyAppAuth(req: AuthRequest, config: AuthConfig, authorization: string, userId: string): AuthOutcome {
  const failed = (why: string): AuthOutcome => ({ ok: false, reply: apiError(400, ErrorCodes.AUTHENTICATION_FAILED, `Authentication failed: ${why}.`) });
  const parsed = parseAppAuthorization(authorization);
  if (!parsed.ok) return failed(parsed.problem);
  const { appId, signedHeaders, signature } = parsed;
  const secret = config.apps.get(appId);
  if (secret === undefined) return failed("unknown AppId");
  const names = signedHeaders.split(";");
  if (!names.includes("x-date") || !names.includes("x-user-id")) return failed("SignedHeaders must include x-date and x-user-id");
  if (names.some((n) => n === "" || n !== n.toLowerCase() || n === "authorization"))
    return failed("SignedHeaders must be lower-case and exclude authorization");
  if (names.some((n, i) => i > 0 && !(names[i - 1]! < n))) return failed("SignedHeaders must be sorted ascending, each name once");
  const absent = names.find((n) => header(req, n) === undefined);
  if (absent !== undefined) return failed(`signed header ${absent.slice(0, 64)} is not in the request`);
  if (!/^[0-9a-f]{64}$/.test(signature)) return failed("Signature must be 64 lower-case hex characters");
  const expected = Buffer.from(expectedSignature(req, names, secret), "utf8");
  const given = Buffer.from(signature, "utf8");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return failed("signature mismatch");
  return { ok: true, userId, scheme: "app" };
}

/** Strips `Bearer ` / `Bearer+`; a bare token is accepted too (one docs example shows none). */
export function tokenFromAuthorization(authorization: string): string {
  return authorization.replace(/^Bearer[+ ]/i, "").trim();
}

/** A configured token that carries nothing: empty, blank, or only a `Bearer` prefix. Accepting one would let a client
 *  that sends no token (`Authorization: Bearer+`) authenticate. */
export function isEmptyToken(token: string): boolean {
  return tokenFromAuthorization(token) === "" || /^bearer$/i.test(token.trim());
}

function verifyToken(config: AuthConfig, authorization: string, userId: string, nowMs: number): AuthOutcome {
  const token = tokenFromAuthorization(authorization);
  const unauthorized = (why: string): AuthOutcome => ({ ok: false, reply: apiError(401, ErrorCodes.UNAUTHORIZED, `Unauthorized: ${why}.`) });
  if (!config.tokens.has(token)) return unauthorized("unknown access token");
  const lastUse = config.tokenLastUse.get(token);
  if (config.expiredTokens.has(token) || (config.tokenTtlMs !== undefined && lastUse !== undefined && nowMs - lastUse > config.tokenTtlMs)) {
    config.expiredTokens.add(token);
    return unauthorized("access token expired");
  }
  config.tokenLastUse.set(token, nowMs);
  return { ok: true, userId, scheme: "token" };
}
