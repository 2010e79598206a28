import { ConfigurationError } from "../../src/client/configurationError";
import { SETTING_SOURCES, type SettingName, howToSet, isSecretSetting, resolveConnectionSettings } from "../../src/client/connectionSettings";
import { ProviderContext } from "../../src/provider/context";
import { KooDriveError, outcomeUnknown } from "../../src/client/koodriveError";
import { AccessCodes, REDACTED, redact } from "../../src/client/redact";
import fc from "fast-check";

const request = { method: "PUT", path: "/koodrive/ose/v1/share/1", traceId: "t".repeat(58), attempts: 2 };

describe("redaction", () => {
  it.each([
    ["token s3cr3t-token rejected", ["s3cr3t-token"], `token ${REDACTED} rejected`],
    ["code MDg2K0vU is wrong", ["MDg2K0vU"], `code ${REDACTED} is wrong`],
    ["Authorization: Bearer+abc.def-ghi", [], `Authorization: Bearer+${REDACTED}`],
    ["Bearer xyz", [], `Bearer ${REDACTED}`],
    ["HMAC-SHA256 AppId=a,SignedHeaders=x-date,Signature=abcdef0123", [], `HMAC-SHA256 AppId=a,SignedHeaders=x-date,Signature=${REDACTED}`],
    ["abc abc", ["abc"], "abc abc"],
    ["share locked (extractCode Zq7Lm2Xa)", [], `share locked (extractCode ${REDACTED})`],
    ['{"extract_code":"Zq7Lm2Xa"}', [], `{"extract_code":"${REDACTED}"}`],
    ['{\\"extractCode\\": \\"Zq7Lm2Xa\\"}', [], `{\\"extractCode\\": \\"${REDACTED}\\"}`],
    ["extractCode: 12345678 rejected", [], `extractCode: ${REDACTED} rejected`],
    ["extractCode=ABCDEFGH_x", [], `extractCode=${REDACTED}_x`],
    ["extract code ABCD1234 is wrong", [], `extract code ${REDACTED} is wrong`],
    ["提取码：ABCD1234", [], `提取码：${REDACTED}`],
    ["extractCode mismatch; extractCode required", [], "extractCode mismatch; extractCode required"],
    ["nothing here", [undefined], "nothing here"],
    ["x secretAAAA1TAILPART y", ["secretAAAA1", "secretAAAA1TAILPART"], `x ${REDACTED} y`], // one secret inside another: no tail left
  ])("%j with %j → %j", (text, secrets, expected) => {
    expect(redact(text, secrets)).toBe(expected);
  });
});

describe("AccessCodes: every code a process handled, found in a text in time linear in its length", () => {
  const codes = new AccessCodes();
  for (const code of ["ORIG1234", "MDg2K0vU", "Zq7Lm2Xa", "13000309", "abc", "LONGERcode12", "xxORIG1234yy"]) codes.add(code);

  it.each([
    ["code MDg2K0vU is wrong", `code ${REDACTED} is wrong`],
    ["MDg2K0vUORIG1234", `${REDACTED}${REDACTED}`],
    ["xMDg2K0vUx and (ORIG1234)", `x${REDACTED}x and (${REDACTED})`],
    ["the LONGERcode12 one", `the ${REDACTED} one`],
    ["a longer code holding a shorter one: xxORIG1234yy", `a longer code holding a shorter one: ${REDACTED}`],
    ["abc is too short to be a secret", "abc is too short to be a secret"],
    ["nothing here", "nothing here"],
  ])("%j → %j", (text, expected) => {
    expect(redact(text, [], codes)).toBe(expected);
  });

  it("leaves no code in any text, as one split per code would not either", () => {
    const alphabet = fc.constantFrom(..."MDg2K0vUORIG1234Zq7Lm2Xa ".split(""));
    const known = ["MDg2K0vU", "ORIG1234", "Zq7Lm2Xa"];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...known), fc.string({ unit: alphabet, maxLength: 6 })), { maxLength: 8 }), (parts) => {
        const text = parts.join("");
        const redacted = redact(text, [], codes);
        for (const code of known) expect(redacted).not.toContain(code);
        expect(redacted.split(REDACTED).join("").length).toBeLessThanOrEqual(text.length);
      }),
    );
  });

  it("an access code that reads 13000309 is redacted from KooDrive's code, which still says 'not found'", () => {
    const error = new KooDriveError({ kind: "api", status: 400, code: "13000309", request }, { accessCodes: codes });
    expect(error.code).toBe(REDACTED);
    expect(error.isNotFound).toBe(true);
    expect(error.withRetryStop("stopped").isNotFound).toBe(true);
  });
});

describe("KooDriveError", () => {
  it("carries status, code, message, method, path, trace id and attempts", () => {
    const e = new KooDriveError({ kind: "api", status: 400, code: "13000102", koodriveMessage: "Verify parameters failed.", request });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("KooDriveError");
    expect(e.message).toBe(
      `KooDrive PUT /koodrive/ose/v1/share/1 failed with HTTP 400, code 13000102: Verify parameters failed. (2 attempts, trace id ${request.traceId})`,
    );
    expect(e.toJSON()).toMatchObject({ status: 400, code: "13000102", request });
    expect(e.isNotFound).toBe(false);
    expect(new KooDriveError({ kind: "api", status: 400, code: "13000309", request }).isNotFound).toBe(true);
  });

  it.each([
    [200, true],
    [400, true],
    [404, true],
    [401, false],
    [429, false],
    [500, false],
    [503, false],
  ])("code 13000309 with HTTP %i is a final 'not found': %s", (status, notFound) => {
    expect(new KooDriveError({ kind: "api", status, code: "13000309", request }).isNotFound).toBe(notFound);
  });

  it.each([
    [{ kind: "network", causeCode: "ECONNRESET" }, "failed: network error ECONNRESET"],
    [{ kind: "network", causeCode: "ENOTFOUND", request: { ...request, host: "kd.example:443" } }, "network error ENOTFOUND talking to kd.example:443 ("],
    [
      { kind: "timeout", request: { ...request, host: "kd.example:443", proxy: "http://proxy.corp:3128" } },
      "timed out talking to kd.example:443 through proxy http://proxy.corp:3128",
    ],
    [{ kind: "timeout" }, "timed out"],
    [{ kind: "invalid-response", koodriveMessage: "body is not JSON" }, "returned an unexpected response: body is not JSON"],
  ] as const)("describes %j", (details, fragment) => {
    expect(new KooDriveError({ request, ...details }).message).toContain(fragment);
  });

  it("redacts KooDrive's message itself: the secrets it is given, and bearer tokens and signatures it is not", () => {
    const e = new KooDriveError(
      { kind: "api", status: 400, code: "13000102", koodriveMessage: "bad code MDg2K0vU for Bearer tok-123, Signature=abc123", request },
      { secrets: ["MDg2K0vU", undefined] },
    );
    expect(e.koodriveMessage).toBe("bad code [REDACTED] for Bearer [REDACTED], Signature=[REDACTED]");
    const printed = [e.message, JSON.stringify(e), e.withRetryStop("gave up").message, e.repeated().message].join("\n");
    for (const secret of ["MDg2K0vU", "tok-123", "abc123"]) expect(printed).not.toContain(secret);
  });

  it("a credentials error names no request of its own, so every operation repeating it shows the same text", () => {
    const e = new KooDriveError({
      kind: "credentials",
      status: 401,
      code: "13000104",
      koodriveMessage: "Unauthorized.",
      hint: "Fix koodrive:accessToken.",
      request,
    });
    expect(e.message).toBe("KooDrive rejected the credentials (HTTP 401, code 13000104: Unauthorized.). Fix koodrive:accessToken.");
    const again = e.repeated();
    expect(again).not.toBe(e);
    expect(again.message).toBe(e.message);
    expect(again.isCredentialRejection).toBe(true);
  });
});

describe("outcomeUnknown: whether a failed write may have been applied all the same", () => {
  const request = { method: "PUT", path: "/share/1", traceId: "t", attempts: 1 };
  it.each([
    ["a timeout", { kind: "timeout" }, true],
    ["a connection reset after sending", { kind: "network", causeCode: "ECONNRESET" }, true],
    ["a truncated 2xx body", { kind: "invalid-response", status: 200 }, true],
    ["a 5xx after the retries", { kind: "api", status: 503 }, true],
    ["a connection refused (nothing was sent)", { kind: "network", causeCode: "ECONNREFUSED" }, false],
    ["a 429 (KooDrive did not run it)", { kind: "api", status: 429 }, false],
    ["a 4xx", { kind: "api", status: 400, code: "13000102" }, false],
    ["rejected credentials", { kind: "credentials", status: 401 }, false],
  ] as const)("%s: %s", (_name, details, unknown) => {
    expect(outcomeUnknown(new KooDriveError({ ...details, request }))).toBe(unknown);
  });

  it("an error that is not KooDrive's says nothing about a write", () => {
    expect(outcomeUnknown(new Error("bug"))).toBe(false);
  });
});

describe("connection settings", () => {
  const none = () => undefined;

  it("lists every missing setting at once, naming config keys and environment variables", () => {
    let error: unknown;
    try {
      resolveConnectionSettings(none, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems;
    expect(problems).toHaveLength(4);
    const text = (error as Error).message;
    for (const fragment of [
      "koodrive:endpoint",
      "KOODRIVE_ENDPOINT",
      "koodrive:userId",
      "KOODRIVE_USER_ID",
      "koodrive:agentName",
      "KOODRIVE_AGENT_NAME",
      "koodrive:accessToken",
      "KOODRIVE_ACCESS_TOKEN",
      "koodrive:appId",
      "koodrive:appSecret",
      "--secret",
    ]) {
      expect(text).toContain(fragment);
    }
    // A script that uses the client directly has no stored stack config: no note about refresh and `pulumi up`.
    expect(text).not.toMatch(/refresh|pulumi up/);
  });

  it("the secret settings are marked once, in SETTING_SOURCES, and every piece of advice for them says --secret", () => {
    expect((Object.keys(SETTING_SOURCES) as SettingName[]).filter(isSecretSetting)).toEqual(["accessToken", "appSecret"]);
    expect(howToSet("appSecret")).toBe(
      "set stack config koodrive:appSecret (pulumi config set --secret koodrive:appSecret ...) or the environment variable KOODRIVE_APP_SECRET",
    );
    expect(howToSet("appId")).not.toContain("--secret");
    const e = (() => {
      try {
        resolveConnectionSettings(
          (key) => ({ "koodrive:endpoint": "http://e", "koodrive:userId": "1", "koodrive:agentName": "a", "koodrive:accessToken": "tok\u200bx" })[key],
          {},
        );
      } catch (error) {
        return error as Error;
      }
      throw new Error("accepted");
    })();
    expect(e.message).toMatch(/accessToken must be printable Latin-1 .*pulumi config set --secret koodrive:accessToken/);
  });

  it("prefers stack config over the environment and trims the endpoint's trailing slash", () => {
    const config: Record<string, string> = { "koodrive:endpoint": "http://config/", "koodrive:userId": "1" };
    const s = resolveConnectionSettings((k) => config[k], {
      KOODRIVE_ENDPOINT: "http://env",
      KOODRIVE_USER_ID: "2",
      KOODRIVE_AGENT_NAME: "a",
      KOODRIVE_ACCESS_TOKEN: "tok-1234",
    });
    expect(s).toMatchObject({
      endpoint: "http://config",
      userId: "1",
      agentName: "a",
      auth: { kind: "token", accessToken: "tok-1234" },
      timeoutMs: 30000,
      maxRetries: 3,
    });
  });

  it("uses app auth when appId and appSecret are set and says which half is missing otherwise", () => {
    const env = { KOODRIVE_ENDPOINT: "https://x", KOODRIVE_USER_ID: "1", KOODRIVE_AGENT_NAME: "a" };
    expect(resolveConnectionSettings(none, { ...env, KOODRIVE_APP_ID: "app", KOODRIVE_APP_SECRET: "appsecret-value" }).auth).toEqual({
      kind: "app",
      appId: "app",
      appSecret: "appsecret-value",
    });
    expect(() => resolveConnectionSettings(none, { ...env, KOODRIVE_APP_ID: "app" })).toThrow(/appSecret is missing/);
  });

  it("takes credentials as a group from the environment first, since refresh and destroy see only the stored config", () => {
    const config: Record<string, string> = {
      "koodrive:endpoint": "http://config",
      "koodrive:userId": "1",
      "koodrive:agentName": "a",
      "koodrive:accessToken": "stored-token",
    };
    const lookup = (k: string) => config[k];
    expect(resolveConnectionSettings(lookup, {}).auth).toEqual({ kind: "token", accessToken: "stored-token" });
    expect(resolveConnectionSettings(lookup, { KOODRIVE_ACCESS_TOKEN: "rotated-token" }).auth).toEqual({ kind: "token", accessToken: "rotated-token" });
    // App credentials in the environment replace a stored token rather than losing to it.
    expect(resolveConnectionSettings(lookup, { KOODRIVE_APP_ID: "app", KOODRIVE_APP_SECRET: "app-secret" }).auth).toEqual({
      kind: "app",
      appId: "app",
      appSecret: "app-secret",
    });
    // Other settings keep "stack config first".
    expect(resolveConnectionSettings(lookup, { KOODRIVE_ENDPOINT: "http://env" }).endpoint).toBe("http://config");
  });

  it.each([
    [{}, { edition: "carrier", maxConcurrency: 16, throttleRetryTimeoutMs: 300000 }],
    [
      { KOODRIVE_MAX_CONCURRENCY: "4", KOODRIVE_REQUESTS_PER_SECOND: "2.5", KOODRIVE_THROTTLE_RETRY_TIMEOUT_MS: "60000" },
      { maxConcurrency: 4, requestsPerSecond: 2.5, throttleRetryTimeoutMs: 60000 },
    ],
    [{ KOODRIVE_PROXY: "http://user:pw@proxy.corp:3128" }, { proxy: "http://user:pw@proxy.corp:3128" }],
    [{ KOODRIVE_PROXY: "" }, { proxy: "none" }],
    [{ KOODRIVE_PROXY: "NONE" }, { proxy: "none" }],
  ])("reads %j as %j", (extra, expected) => {
    const env = { KOODRIVE_ENDPOINT: "https://x", KOODRIVE_USER_ID: "1", KOODRIVE_AGENT_NAME: "a", KOODRIVE_ACCESS_TOKEN: "token-1", ...extra };
    expect(resolveConnectionSettings(none, env)).toMatchObject(expected);
  });

  it("on the enterprise edition, agentName is optional", () => {
    const env = { KOODRIVE_ENDPOINT: "https://x", KOODRIVE_USER_ID: "1", KOODRIVE_ACCESS_TOKEN: "token-1", KOODRIVE_EDITION: "Enterprise" };
    const settings = resolveConnectionSettings(none, env);
    expect(settings.edition).toBe("enterprise");
    expect(settings).not.toHaveProperty("agentName");
    expect(() => resolveConnectionSettings(none, { ...env, KOODRIVE_EDITION: "carrier" })).toThrow(/agentName is missing/);
  });

  it("names each malformed new setting and its rule, never a proxy password", () => {
    const env = {
      KOODRIVE_ENDPOINT: "https://x",
      KOODRIVE_USER_ID: "1",
      KOODRIVE_ACCESS_TOKEN: "token-1",
      KOODRIVE_EDITION: "gold",
      KOODRIVE_MAX_CONCURRENCY: "0",
      KOODRIVE_REQUESTS_PER_SECOND: "fast",
      KOODRIVE_THROTTLE_RETRY_TIMEOUT_MS: "-1",
      KOODRIVE_PROXY: "socks5://u:hunter22@p:1080",
    };
    const problems = (() => {
      try {
        resolveConnectionSettings(none, env);
      } catch (e) {
        return (e as ConfigurationError).problems;
      }
      throw new Error("expected a ConfigurationError");
    })();
    expect(problems).toEqual([
      expect.stringMatching(/^edition must be carrier or enterprise: .*koodrive:edition.*KOODRIVE_EDITION/),
      expect.stringMatching(/^agentName is missing/),
      expect.stringMatching(/^throttleRetryTimeoutMs must be an integer from 0 to 3600000/),
      expect.stringMatching(/^maxConcurrency must be an integer from 1 to 256/),
      expect.stringMatching(/^requestsPerSecond must be a number from 0.1 to 10000/),
      expect.stringMatching(/^proxy must be an http\(s\) URL, "" or "none": .*KOODRIVE_PROXY/),
    ]);
    expect(problems.join("\n")).not.toContain("hunter22");
  });

  /** The problems `resolveConnectionSettings` lists for `env` (and stack `config`). */
  const problemsOf = (env: NodeJS.ProcessEnv, config: Record<string, string> = {}): readonly string[] => {
    try {
      resolveConnectionSettings((k) => config[k], env);
    } catch (e) {
      if (e instanceof ConfigurationError) return e.problems;
      throw e;
    }
    return [];
  };
  const complete = { KOODRIVE_ENDPOINT: "https://x", KOODRIVE_USER_ID: "1505084218764547200", KOODRIVE_AGENT_NAME: "a", KOODRIVE_ACCESS_TOKEN: "token-1" };

  it("a proxy URL whose user name or password has a % that starts no escape is a problem named before any request, without the value", () => {
    for (const proxy of ["http://u:50%off@proxy.corp:3128", "http://50%user:pw@proxy.corp:3128"]) {
      const problems = problemsOf({ ...complete, KOODRIVE_PROXY: proxy });
      expect(problems).toEqual([
        expect.stringMatching(
          /^proxy must be an http\(s\) URL with its user name and password percent-encoded \(a % itself written as %25\): .*koodrive:proxy/,
        ),
      ]);
      expect(problems.join("\n")).not.toMatch(/50%/);
    }
    expect(problemsOf({ ...complete, KOODRIVE_PROXY: "http://u:50%25off@proxy.corp:3128" })).toEqual([]);
  });

  it("an empty or blank stack config value counts as unset, so the environment variable still applies", () => {
    const config = { "koodrive:endpoint": "", "koodrive:agentName": "  ", "koodrive:proxy": "" };
    const settings = resolveConnectionSettings((k) => config[k as keyof typeof config], complete);
    expect(settings).toMatchObject({ endpoint: "https://x", agentName: "a" });
    // Except the proxy's explicit "": that means a direct connection.
    expect(settings.proxy).toBe("none");
  });

  it.each([
    ["a query", "https://x/?tenant=1"],
    ["a fragment", "https://x/#frag"],
    ["an empty query", "https://x?"],
    ["an empty fragment", "https://x/#"],
    ["a user name and password", "http://admin:EPSECRET@x"],
    ["a port out of range", "http://x:99999"],
    ["a space in the host", "https://h.example bad"],
    ["another scheme", "ftp://x"],
  ])("refuses an endpoint with %s, naming the rule and not the value", (_what, endpoint) => {
    const problems = problemsOf({ ...complete, KOODRIVE_ENDPOINT: endpoint });
    expect(problems).toEqual([expect.stringMatching(/^endpoint must be an http\(s\) URL such as https:.*KOODRIVE_ENDPOINT/)]);
    expect(problems[0]).not.toContain("EPSECRET");
  });

  it("accepts an origin with a port or a trailing slash, and a path prefix (a gateway that strips it before KooDrive)", () => {
    expect(problemsOf({ ...complete, KOODRIVE_ENDPOINT: "http://127.0.0.1:8080/" })).toEqual([]);
    expect(problemsOf({ ...complete, KOODRIVE_ENDPOINT: "https://[::1]:8443" })).toEqual([]);
    expect(problemsOf({ ...complete, KOODRIVE_ENDPOINT: "https://gateway.corp/koodrive/" })).toEqual([]);
  });

  it.each([
    ["userId", { KOODRIVE_USER_ID: "1505084218764547200\u200b" }, /^userId must be 1 to 64 characters of \[A-Za-z0-9_-\]/],
    ["userId", { KOODRIVE_USER_ID: "150508 4218" }, /^userId must be 1 to 64/],
    ["agentName", { KOODRIVE_AGENT_NAME: "中国移动" }, /^agentName must be printable Latin-1.*KOODRIVE_AGENT_NAME/],
    ["agentName", { KOODRIVE_AGENT_NAME: "Agent\u200b" }, /^agentName must be printable Latin-1/],
    ["accessToken", { KOODRIVE_ACCESS_TOKEN: "tok\u0007en-secret" }, /^accessToken must be printable Latin-1.*KOODRIVE_ACCESS_TOKEN/],
  ])("refuses a %s that a header cannot carry unchanged (axios would drop characters and signatures break)", (_name, extra, rule) => {
    const problems = problemsOf({ ...complete, ...extra });
    expect(problems).toEqual([expect.stringMatching(rule)]);
    expect(problems[0]).not.toContain("secret");
  });

  it("accepts a Latin-1 carrier name, which a header carries unchanged, but not a no-break space", () => {
    expect(problemsOf({ ...complete, KOODRIVE_AGENT_NAME: "Télécom" })).toEqual([]);
    expect(problemsOf({ ...complete, KOODRIVE_AGENT_NAME: "China\u00a0Mobile" })).toEqual([expect.stringMatching(/^agentName must be printable Latin-1/)]);
  });

  it("refuses token and app credentials together instead of silently choosing one", () => {
    const both = { "koodrive:accessToken": "token-2", "koodrive:appId": "app", "koodrive:appSecret": "app-secret" };
    const { KOODRIVE_ACCESS_TOKEN: _token, ...noCredentials } = complete;
    expect(problemsOf(noCredentials, both)).toEqual([
      expect.stringMatching(/^set either accessToken or appId and appSecret, not both: remove the stack config/),
    ]);
    expect(problemsOf({ ...complete, KOODRIVE_APP_ID: "app", KOODRIVE_APP_SECRET: "s" })).toEqual([
      expect.stringMatching(/not both: unset the environment variables/),
    ]);
  });

  it("when the environment holds part of the credentials, says to set the other half there (stack config's are not read)", () => {
    const { KOODRIVE_ACCESS_TOKEN: _token, ...noCredentials } = complete;
    const problems = problemsOf({ ...noCredentials, KOODRIVE_APP_ID: "app-1" }, { "koodrive:appSecret": "in-config" });
    expect(problems).toEqual([
      expect.stringMatching(/^appSecret is missing \(appId is set\): set the environment variable KOODRIVE_APP_SECRET \(the environment holds/),
    ]);
    expect(problems[0]).not.toContain("koodrive:appSecret");
  });

  it("refreshStrategy is read by the same rules: case-insensitive like edition, an empty config value counts as unset", () => {
    const strategy = (config: Record<string, string>, env: NodeJS.ProcessEnv) => new ProviderContext((k) => config[k], env).refreshStrategy();
    expect(strategy({ "koodrive:refreshStrategy": " GET " }, {})).toBe("get");
    expect(strategy({ "koodrive:refreshStrategy": "" }, { KOODRIVE_REFRESH_STRATEGY: "List" })).toBe("list");
    expect(strategy({}, {})).toBe("auto");
    expect(() => strategy({ "koodrive:refreshStrategy": "fast" }, {})).toThrow(/refreshStrategy must be one of auto, get, list: .*KOODRIVE_REFRESH_STRATEGY/);
  });

  it("reads numbers in decimal only", () => {
    expect(problemsOf({ ...complete, KOODRIVE_TIMEOUT_MS: "0x3e8", KOODRIVE_MAX_RETRIES: "0b11", KOODRIVE_MAX_CONCURRENCY: "1e2" })).toEqual([
      expect.stringMatching(/^timeoutMs must be an integer from 100 to 600000, in decimal/),
      expect.stringMatching(/^maxRetries must be/),
      expect.stringMatching(/^maxConcurrency must be/),
    ]);
    expect(resolveConnectionSettings(() => undefined, { ...complete, KOODRIVE_TIMEOUT_MS: " 1500 ", KOODRIVE_REQUESTS_PER_SECOND: "0.5" })).toMatchObject({
      timeoutMs: 1500,
      requestsPerSecond: 0.5,
    });
  });

  it("rejects malformed numbers and endpoints without echoing secret values", () => {
    const env = {
      KOODRIVE_ENDPOINT: "ftp://x",
      KOODRIVE_USER_ID: "1",
      KOODRIVE_AGENT_NAME: "a",
      KOODRIVE_ACCESS_TOKEN: "very-secret-token",
      KOODRIVE_TIMEOUT_MS: "fast",
      KOODRIVE_MAX_RETRIES: "99",
    };
    try {
      resolveConnectionSettings(none, env);
      throw new Error("expected a ConfigurationError");
    } catch (e) {
      expect((e as ConfigurationError).problems).toHaveLength(3);
      expect((e as Error).message).not.toContain("very-secret-token");
    }
  });
});
