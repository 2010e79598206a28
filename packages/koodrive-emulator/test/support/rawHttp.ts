import { createHash, createHmac } from "node:crypto";
import http from "node:http";

/** An HTTP answer, body parsed when JSON. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** Sends exactly the given request (no client library in between). */
export function raw(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** `yyyyMMddTHHmmssZ`, written out here independently of the client. */
export function xDate(ms: number = Date.now()): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

/** Valid carrier headers with token auth. */
export function tokenHeaders(token: string, userId: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = {
    Authorization: `Bearer ${token}`,
    "X-User-Id": userId,
    "X-Date": xDate(),
    "X-Hw-Agentname": "raw-test",
    "X-Traceid": "a".repeat(58),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** App-auth headers for a request, signed per the docs by a third, minimal implementation. */
export function appHeaders(
  baseUrl: string,
  method: string,
  path: string,
  body: string,
  appId: string,
  secret: string,
  userId: string,
  date = xDate(),
): Record<string, string> {
  const host = new URL(baseUrl).host;
  const canonical = [
    method,
    `${path.replace(/\/$/, "")}/`,
    "",
    `host:${host}\nx-date:${date}\nx-user-id:${userId}\n`,
    "host;x-date;x-user-id",
    createHash("sha256").update(body).digest("hex"),
  ].join("\n");
  const signature = createHmac("sha256", secret)
    .update(`HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`)
    .digest("hex");
  return {
    Authorization: `HMAC-SHA256 AppId=${appId},SignedHeaders=host;x-date;x-user-id,Signature=${signature}`,
    "X-User-Id": userId,
    "X-Date": date,
    "X-Hw-Agentname": "raw-test",
  };
}
