import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionSettings } from "../../src/client/connectionSettings";
import { type Emulator, startEmulator } from "koodrive-emulator";

/** Credentials the test emulator accepts. */
export const TOKEN = "test-access-token-5f2c9a";
export const APP_ID = "a378331eca141163119eb602adb67b7802cc79cd33ba44c7d2fe61d1586c96a1";
export const APP_SECRET = "test-app-secret-0123456789abcdef";
export const USER_ID = "1505084218764547200";
export const OTHER_USER_ID = "1505084218764547999";
export const AGENT = "test-carrier";

/** A provider's `configure` request as the engine sends it, holding `config` (stack config by key, `koodrive:*`). */
export function configureRequest(config: Record<string, string>): pulumi.dynamic.ConfigureRequest {
  const lookup = (key: string) => config[key];
  return { config: { get: lookup, require: (key: string) => lookup(key) ?? "" } } as pulumi.dynamic.ConfigureRequest;
}

/** An emulator that knows the test token and app, logging access codes so tests can compare exact bodies. */
export function testEmulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  return startEmulator({ tokens: [TOKEN], apps: { [APP_ID]: APP_SECRET }, logAccessCodes: true, ...options });
}

/** Connection settings for `emulator`, token auth unless `app` is set. */
export function settingsFor(emulator: Emulator, overrides: Partial<ConnectionSettings> & { app?: boolean } = {}): ConnectionSettings {
  const { app, ...rest } = overrides;
  return {
    endpoint: emulator.url,
    userId: USER_ID,
    agentName: AGENT,
    auth: app ? { kind: "app", appId: APP_ID, appSecret: APP_SECRET } : { kind: "token", accessToken: TOKEN },
    timeoutMs: 5_000,
    maxRetries: 3,
    ...rest,
  };
}

/**
 * A KooDrive that differs from the emulator in what its answers say: requests go to `target` unchanged, and each JSON
 * answer to a request `rewrites` picks is rewritten before the client sees it (e.g. a server that counts a validity
 * from another time than the write, which the API document leaves open).
 */
export async function answerRewritingProxy(
  target: string,
  rewrites: (method: string, path: string, answer: Record<string, unknown>) => Record<string, unknown> | undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const http = await import("node:http");
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const forwarded = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on("data", (c: Buffer) => body.push(c));
        answer.on("end", () => {
          let text = Buffer.concat(body).toString("utf8");
          try {
            const rewritten = rewrites(req.method ?? "", req.url ?? "", JSON.parse(text) as Record<string, unknown>);
            if (rewritten !== undefined) text = JSON.stringify(rewritten);
          } catch {
            // not JSON: passed on as it came
          }
          const headers = { ...answer.headers, "content-length": String(Buffer.byteLength(text)) };
          delete headers["transfer-encoding"];
          res.writeHead(answer.statusCode ?? 502, headers).end(text);
        });
      });
      forwarded.on("error", () => res.writeHead(502).end());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
