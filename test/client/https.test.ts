// KooDrive is served over https, often through a corporate proxy's CONNECT tunnel. A certificate this machine does not
// trust (a TLS-inspecting proxy, a private CA), or a proxy that will not open the tunnel, must fail saying what to
// do, never be taken for KooDrive's answer, and count as nothing sent. The trusted path is in test/engine/https.test.js:
// NODE_EXTRA_CA_CERTS is read when a process starts, as the engine's provider processes do.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Emulator } from "koodrive-emulator";
import { KooDriveClient } from "../../src/client/koodriveClient";
import { ConfigurationError } from "../../src/client/configurationError";
import { KooDriveError, outcomeUnknown } from "../../src/client/koodriveError";
import { USER_ID, settingsFor, testEmulator } from "../support/fixtures";
import { kooDriveFailure } from "./kooDriveFailure";

import { startConnectProxy } from "../support/connectProxy";
import { TLS_FIXTURES } from "../support/tlsFixtures";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await testEmulator({ tls: TLS_FIXTURES.serverTls() });
});
afterEach(() => emulator.close());

const TRUST_FIX = "NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the environment of `pulumi`";

describe("a certificate this machine does not trust", () => {
  it("fails a write at once, naming the host and the fix; nothing reached KooDrive, so its outcome is known", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "before" });
    const host = new URL(emulator.url).host;
    const client = new KooDriveClient(settingsFor(emulator, { maxRetries: 3 }));
    const error = await kooDriveFailure(client.updateShare(share.shareId as string, { comment: "after", validDays: 3 }));
    expect(error.kind).toBe("network");
    expect(error.causeCode).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(error.message).toContain(`network error UNABLE_TO_VERIFY_LEAF_SIGNATURE talking to ${host} (1 attempt`);
    expect(error.message).toContain(`the certificate presented for ${host} is not signed by a certificate authority this machine trusts`);
    expect(error.message).toContain(TRUST_FIX);
    expect(outcomeUnknown(error)).toBe(false);
    expect(emulator.requests.all()).toHaveLength(0);
    expect(emulator.getShare(share.shareId as string)?.comment).toBe("before");
  });

  it("through a CONNECT proxy: the same, and the proxy is named", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const proxy = await startConnectProxy();
    try {
      const client = new KooDriveClient(settingsFor(emulator, { proxy: proxy.url, app: true }));
      const error = await kooDriveFailure(client.getShare(share.shareId as string));
      expect(proxy.seen).toEqual([`CONNECT ${new URL(emulator.url).host}`]);
      expect(error.message).toContain(`through proxy ${proxy.url} (1 attempt`);
      expect(error.message).toContain("(through the proxy) is not signed by a certificate authority this machine trusts");
      expect(error.message).toContain(TRUST_FIX);
      expect(emulator.requests.all()).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });

  it("a create is not sent again and not reconciled: it was never sent", async () => {
    const client = new KooDriveClient(settingsFor(emulator, { maxRetries: 3 }));
    const error = await kooDriveFailure(client.createShare({ scope: 1, fileIds: ["f1"], containerId: "c1", validDays: 3 }));
    expect(error.message).toContain("(1 attempt");
    expect(outcomeUnknown(error)).toBe(false);
    expect(emulator.requests.all()).toHaveLength(0);
  });
});

describe("what each certificate refusal tells", () => {
  const request = { method: "GET", path: "/koodrive/ose/v1/share/1", traceId: "t", attempts: 1, host: "drive.example.com" };
  it.each([
    ["SELF_SIGNED_CERT_IN_CHAIN", `is not signed by a certificate authority this machine trusts. Behind a TLS-inspecting proxy`],
    ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "is not signed by a certificate authority this machine trusts"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "is not signed by a certificate authority this machine trusts"],
    ["CERT_HAS_EXPIRED", "is outside its validity period by this machine's clock: check the clock, or that certificate"],
    ["CERT_NOT_YET_VALID", "is outside its validity period by this machine's clock"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "is for another host name: check koodrive:endpoint"],
    ["INVALID_PURPOSE", "breaks the rules for a server certificate (its purpose, or the length of its chain): it must be reissued"],
    ["CA_MD_TOO_WEAK", "is signed with a digest this machine's OpenSSL refuses as too weak (SHA-1, say)"],
  ])("%s", (causeCode, text) => {
    const error = new KooDriveError({ kind: "network", causeCode, request });
    expect(error.message).toContain(`the certificate presented for drive.example.com ${text}`);
    expect(error.message).toMatch(/Not retried$/);
    expect(outcomeUnknown(error)).toBe(false);
  });

  it("other network errors get no certificate text, and a reset after sending stays unknown", () => {
    const error = new KooDriveError({ kind: "network", causeCode: "ECONNRESET", request });
    expect(error.message).not.toMatch(/certificate|NODE_EXTRA_CA_CERTS/);
    expect(outcomeUnknown(error)).toBe(true);
  });
});

describe("a proxy that will not open the tunnel", () => {
  it.each([
    [403, 'the proxy does not let this machine reach HOST: have HOST allowed there, or bypass the proxy (NO_PROXY, or koodrive:proxy "none")', 1],
    [407, "the proxy asks for credentials: give them in the proxy URL (http://user:password@proxy:port, in koodrive:proxy or HTTPS_PROXY)", 1],
    [502, "the proxy could not reach HOST (its DNS or network, or KooDrive, may be down)", 3],
  ])("HTTP %i is the proxy's answer, not KooDrive's: named so, a write it refused is known not applied", async (status, hint, attempts) => {
    const share = emulator.seedShare({ ownerId: USER_ID, comment: "before" });
    const host = new URL(emulator.url).host;
    const proxy = await startConnectProxy({ refuseWith: status });
    try {
      const client = new KooDriveClient(settingsFor(emulator, { proxy: proxy.url, maxRetries: 2 }));
      const error = await kooDriveFailure(client.updateShare(share.shareId as string, { comment: "after", validDays: 3 }));
      expect(error.kind).toBe("proxy");
      expect(error.status).toBe(status);
      expect(error.message).toContain(`failed: proxy ${proxy.url} refused to forward it to ${host} with HTTP ${status} (${attempts} attempt`);
      expect(error.message).toContain(hint.replaceAll("HOST", host));
      expect(error.message).not.toMatch(/credentials \(HTTP|accessToken/);
      expect(outcomeUnknown(error)).toBe(false);
      expect(proxy.seen).toHaveLength(attempts);
      // Not taken for a rejection of the KooDrive credentials: the next call is sent, not failed unsent.
      await kooDriveFailure(client.getShare(share.shareId as string));
      expect(proxy.seen.length).toBeGreaterThan(attempts);
      expect(emulator.requests.all()).toHaveLength(0);
      expect(emulator.getShare(share.shareId as string)?.comment).toBe("before");
    } finally {
      await proxy.close();
    }
  });
});

describe("what only looks like KooDrive's answer", () => {
  it("a refused CONNECT whose block page comes after its headers is still the proxy's refusal", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const page = `<html><body>${"Access to this site is blocked by policy. ".repeat(100)}</body></html>`;
    const proxy = await startConnectProxy({ refuseWith: 403, refusalPage: page, pageAfterMs: 30 });
    try {
      const error = await kooDriveFailure(
        new KooDriveClient(settingsFor(emulator, { proxy: proxy.url })).updateShare(share.shareId as string, { comment: "x", validDays: 3 }),
      );
      expect(error.kind).toBe("proxy");
      expect(error.message).toContain("with HTTP 403 (1 attempt");
      expect(outcomeUnknown(error)).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("a 403 with no KooDrive error in it (a TLS-inspecting proxy's page) is not a rejection of the credentials", async () => {
    // What a TLS-inspecting proxy serves inside an opened tunnel, here as a plain http endpoint.
    const seen: string[] = [];
    const blockPage = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(403, { "Content-Type": "text/html" }).end("<html>Blocked by policy</html>");
    });
    await new Promise<void>((resolve) => blockPage.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(blockPage.address() as AddressInfo).port}`;
    try {
      const client = new KooDriveClient({ ...settingsFor(emulator), endpoint, maxRetries: 0 });
      const error = await kooDriveFailure(client.getShare("1689743054514187776"));
      expect(error.kind).toBe("api");
      expect(error.message).toContain("failed with HTTP 403 (1 attempt");
      expect(error.message).toContain("the answer is a page, not KooDrive's JSON, so it may not be KooDrive's: a proxy between this machine and");
      // The credential gate stays open: the next call is sent.
      await kooDriveFailure(client.getShare("1689743054514187776"));
      expect(seen).toHaveLength(2);
    } finally {
      await new Promise<void>((resolve) => blockPage.close(() => resolve()));
    }
  });

  it.each([
    ["an empty body", ""],
    ["JSON without a KooDrive code (OAuth style)", '{"error":"invalid_token","error_description":"expired"}'],
    ["KooDrive's code beside an error of another shape", '{"code":13000104,"msg":"Unauthorized","error":"Unauthorized"}'],
  ])("a 401 with %s is still KooDrive refusing the credentials: the gate closes after one request", async (_case, body) => {
    let sent = 0;
    const server = http.createServer((_req, res) => {
      sent += 1;
      res.writeHead(401, { "Content-Type": "application/json" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = new KooDriveClient({ ...settingsFor(emulator), endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxRetries: 0 });
      const error = await kooDriveFailure(client.getShare("1689743054514187776"));
      expect(error.kind).toBe("credentials");
      if (body.includes("13000104")) expect(error.code).toBe("13000104");
      await kooDriveFailure(client.getShare("1689743054514187776"));
      expect(sent).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("an https proxy's own untrusted certificate is named as the proxy's", async () => {
    const tlsProxy = https.createServer(TLS_FIXTURES.serverTls(), (_req, res) => res.end());
    await new Promise<void>((resolve) => tlsProxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `https://127.0.0.1:${(tlsProxy.address() as AddressInfo).port}`;
    try {
      const error = await kooDriveFailure(new KooDriveClient(settingsFor(emulator, { proxy: proxyUrl })).getShare("1689743054514187776"));
      expect(error.causeCode).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
      expect(error.message).toContain(`the certificate presented by proxy ${proxyUrl} is not signed by a certificate authority this machine trusts`);
    } finally {
      tlsProxy.closeAllConnections();
      await new Promise<void>((resolve) => tlsProxy.close(() => resolve()));
    }
  });
});

describe("https where plain http answers", () => {
  it("an https endpoint that serves plain http (an emulator started without a certificate): said so, nothing sent, nothing to read back", async () => {
    const plain = await testEmulator();
    try {
      const endpoint = plain.url.replace("http:", "https:");
      const client = new KooDriveClient({ ...settingsFor(plain), endpoint, maxRetries: 3 });
      const error = await kooDriveFailure(client.updateShare("1689743054514187776", { comment: "x", validDays: 3 }));
      expect(error.causeCode).toBe("ERR_SSL_WRONG_VERSION_NUMBER");
      expect(error.message).toContain(`(1 attempt`);
      expect(error.message).toContain(
        `${new URL(endpoint).host} did not answer in TLS: if it serves plain http (an emulator started without --tls-cert, say), write koodrive:endpoint with http://`,
      );
      expect(outcomeUnknown(error)).toBe(false);
      expect(plain.requests.all()).toHaveLength(0);
    } finally {
      await plain.close();
    }
  });

  it("an https:// proxy URL for a plain http proxy: the proxy is named", async () => {
    const proxy = await startConnectProxy();
    try {
      const proxyUrl = proxy.url.replace("http:", "https:");
      const error = await kooDriveFailure(new KooDriveClient(settingsFor(emulator, { proxy: proxyUrl })).getShare("1689743054514187776"));
      expect(error.causeCode).toBe("ERR_SSL_WRONG_VERSION_NUMBER");
      expect(error.message).toContain(`the proxy ${proxyUrl} did not answer in TLS: if it is a plain http proxy, write its URL with http://`);
    } finally {
      await proxy.close();
    }
  });
});

describe("proxies from the environment", () => {
  const saved = { ...process.env };
  beforeEach(() => {
    // A NO_PROXY of the machine running the tests must not send these requests around the proxy.
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
  });
  afterEach(() => {
    for (const name of ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"]) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("HTTPS_PROXY without a scheme is an http proxy, as curl, Go and Python take it: the client asks it for a tunnel", async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    const proxy = await startConnectProxy();
    try {
      process.env.HTTPS_PROXY = proxy.url.replace("http://", "");
      const error = await kooDriveFailure(new KooDriveClient(settingsFor(emulator)).getShare(share.shareId as string));
      // The tunnel was opened (a proxy spoken to in TLS reads no CONNECT): only the certificate, untrusted here, stops it.
      expect(proxy.seen).toEqual([`CONNECT ${new URL(emulator.url).host}`]);
      expect(error.causeCode).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
      expect(error.message).toContain(`through proxy ${proxy.url} (`);
    } finally {
      await proxy.close();
    }
  });

  it.each([
    ["ALL_PROXY", "socks5://vpn-user:vpn-s3cret@127.0.0.1:1080", "a socks5 proxy (socks5://127.0.0.1:1080)", "the environment (HTTPS_PROXY or ALL_PROXY)"],
    ["HTTPS_PROXY", "socks4://127.0.0.1:1080", "a socks4 proxy (socks4://127.0.0.1:1080)", "the environment (HTTPS_PROXY or ALL_PROXY)"],
  ])("%s=%s: refused before any request, naming the kind of proxy and the fix, never its password", (name, value, what, source) => {
    process.env[name] = value;
    let error: unknown;
    try {
      new KooDriveClient(settingsFor(emulator));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain(`the proxy for ${emulator.url} from ${source} is ${what}; only http(s) proxies can be used`);
    expect(message).toContain(
      'set koodrive:proxy (KOODRIVE_PROXY) to an http(s) proxy, or to "none" to connect directly, or leave 127.0.0.1 out with NO_PROXY',
    );
    expect(message).not.toMatch(/vpn-s3cret|vpn-user/);
    expect(emulator.requests.all()).toHaveLength(0);
  });

  it('koodrive:proxy "none" and NO_PROXY still go around a SOCKS proxy in ALL_PROXY', async () => {
    const share = emulator.seedShare({ ownerId: USER_ID });
    process.env.ALL_PROXY = "socks5://127.0.0.1:1080";
    const direct = await kooDriveFailure(new KooDriveClient(settingsFor(emulator, { proxy: "none" })).getShare(share.shareId as string));
    expect(direct.causeCode).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE"); // reached the emulator directly; only the certificate stops it
    process.env.NO_PROXY = "127.0.0.1";
    const bypassed = await kooDriveFailure(new KooDriveClient(settingsFor(emulator)).getShare(share.shareId as string));
    expect(bypassed.message).not.toContain("through proxy");
  });
});
