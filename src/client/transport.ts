import axios, { type AxiosInstance } from "axios";
import http from "node:http";
import https from "node:https";
import { getProxyForUrl } from "proxy-from-env";
import { ConfigurationError } from "./configurationError";
import { PROXY_CREDENTIALS_RULE, proxyUrlProblem } from "./connectionSettings";

/** The keep-alive agents for one set of connection settings, and the proxy they go through. */
export interface Transport {
  readonly httpAgent: http.Agent;
  readonly httpsAgent: https.Agent;
  /** The proxy without its credentials (`http://proxy.corp:3128`), for messages; undefined = direct. */
  readonly proxy?: string;
  /** Proxy credentials, to redact from anything printed. */
  readonly secrets: readonly string[];
  /**
   * The status with which the proxy refused `request`'s `CONNECT`, if it did: the answer axios then gives (or the
   * error, when the agent replayed only part of that answer) is the proxy's own, and nothing reached KooDrive.
   */
  tunnelRefusal(request: unknown): number | undefined;
  /**
   * Whether an https proxy's own TLS handshake failed for `request` (no `CONNECT` was answered): a certificate error
   * then is the proxy's certificate, not the endpoint's.
   */
  proxyHandshakeFailed(request: unknown): boolean;
}

const NO_TUNNEL = { tunnelRefusal: () => undefined, proxyHandshakeFailed: () => false } as const;

/**
 * Picks the proxy for `endpoint`: `configured` when set (`"none"` = direct), otherwise the standard
 * `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` / `NO_PROXY` variables (either case), read by `proxy-from-env`, the
 * library axios itself uses for them. Empty string = direct.
 */
function proxyFor(endpoint: string, configured: string | undefined): string {
  if (configured === "none") return "";
  return configured ?? environmentProxy(endpoint);
}

/** An environment variable as proxy-from-env reads it: lower case first. */
function environmentValue(name: string): string {
  return process.env[name.toLowerCase()] || process.env[name.toUpperCase()] || "";
}

/**
 * The proxy the standard variables give for `endpoint`, `""` for none. One written without a scheme
 * (`HTTPS_PROXY=proxy.corp:3128`) is an http proxy, as curl, Go and Python take it: proxy-from-env would give it the
 * endpoint's scheme, and for an https endpoint open TLS to a proxy that speaks plain http.
 */
function environmentProxy(endpoint: string): string {
  const proxy = getProxyForUrl(endpoint);
  if (proxy === "") return "";
  const scheme = new URL(endpoint).protocol.replace(/:$/, "");
  const written = environmentValue(`${scheme}_proxy`) || environmentValue("all_proxy");
  return written.includes("://") ? proxy : `http://${written}`;
}

/**
 * Why `proxy` cannot be used, naming where it came from but never its credentials: only http(s) proxies can be (a
 * SOCKS proxy in ALL_PROXY, as VPN clients set, would be sent an http CONNECT and fail with no reason given), with
 * credentials the agent can decode.
 */
function proxyProblem(endpoint: string, proxy: string, configured: boolean): string | undefined {
  const problem = proxyUrlProblem(proxy);
  if (problem === undefined) return undefined;
  const scheme = new URL(endpoint).protocol.replace(/:$/, "").toUpperCase();
  const source = configured ? "koodrive:proxy / KOODRIVE_PROXY" : `the environment (${scheme}_PROXY or ALL_PROXY)`;
  if (problem.kind === "credentials") return `the proxy URL for ${endpoint} from ${source} must be written with ${PROXY_CREDENTIALS_RULE}`;
  const what = problem.kind === "not a URL" ? "not a URL" : `a ${problem.url.protocol.replace(/:$/, "")} proxy (${problem.url.protocol}//${problem.url.host})`;
  return (
    `the proxy for ${endpoint} from ${source} is ${what}; only http(s) proxies can be used: set koodrive:proxy (KOODRIVE_PROXY) ` +
    `to an http(s) proxy, or to "none" to connect directly${configured ? "" : `, or leave ${new URL(endpoint).hostname} out with NO_PROXY`}`
  );
}

/**
 * Sockets are kept for reuse, with TCP keep-alive probes after 60 s idle: axios sets exactly that on each request's
 * socket, and an agent with another delay (Node's default is 1 s) sets its own back at every reuse, two `setsockopt`
 * calls per request (about 12 µs of CPU per request, profiled on loopback) for a value that never holds.
 */
const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: 60_000 } as const;

/**
 * Keep-alive agents for `endpoint`, tunnelling through `proxyFor(endpoint, configured)` when there is one; a
 * `ConfigurationError` for a proxy that is not http(s).
 */
export function transportFor(endpoint: string, configured: string | undefined): Transport {
  const proxy = proxyFor(endpoint, configured);
  const problem = proxy === "" ? undefined : proxyProblem(endpoint, proxy, configured !== undefined);
  if (problem !== undefined) throw new ConfigurationError([problem]);
  if (proxy === "") return { httpAgent: new http.Agent(KEEP_ALIVE), httpsAgent: new https.Agent(KEEP_ALIVE), secrets: [], ...NO_TUNNEL };
  // Loaded only when a proxy is used: most runs have none, and every provider process would pay for loading them.
  const { HttpProxyAgent } = require("http-proxy-agent") as typeof import("http-proxy-agent");
  const { HttpsProxyAgent } = require("https-proxy-agent") as typeof import("https-proxy-agent");
  const url = new URL(proxy);
  const password = decodeURIComponent(url.password);
  const httpsAgent = new HttpsProxyAgent(proxy, KEEP_ALIVE);
  // The CONNECT answer of each request that got one: the agent tells it with the request axios reports.
  const connectAnswers = new WeakMap<object, number>();
  httpsAgent.on("proxyConnect", (connect: { statusCode: number }, request: object) => connectAnswers.set(request, connect.statusCode));
  const answerTo = (request: unknown) => (typeof request === "object" && request !== null ? connectAnswers.get(request) : undefined);
  return {
    // Plain http requests go to the proxy as absolute URIs; https ones through a CONNECT tunnel.
    httpAgent: new HttpProxyAgent(proxy, KEEP_ALIVE),
    httpsAgent,
    tunnelRefusal: (request) => {
      const status = answerTo(request);
      return status === undefined || status === 200 ? undefined : status;
    },
    proxyHandshakeFailed: (request) => url.protocol === "https:" && answerTo(request) === undefined,
    proxy: `${url.protocol}//${url.host}`,
    // The password as written, decoded, and inside the Basic credentials the agent sends.
    secrets: password === "" ? [] : [password, url.password, Buffer.from(`${decodeURIComponent(url.username)}:${password}`).toString("base64")],
  };
}

/**
 * The most an answer may hold. A page of 100 shares with 100 files each is well under 1 MiB; a body past this is not
 * KooDrive's answer (a proxy's download, a server gone wrong) and is refused before it fills the provider's memory.
 */
export const MAX_ANSWER_BYTES = 16 * 2 ** 20;

/**
 * Node's `http`/`https.request` with a deadline on the whole exchange: a request not done `timeoutMs` after it was made
 * is destroyed, and remembered as timed out. axios's own timeout is an idle timer once the answer has begun, which an
 * answer trickling in a byte at a time never trips. One timer per request, cleared when it closes (an AbortSignal
 * costs axios an event listener pair per request, about 7 µs, several times this).
 */
export interface DeadlineTransport {
  request(options: http.RequestOptions, callback: (res: http.IncomingMessage) => void): http.ClientRequest;
  /** Whether `request` (as axios reports it with an error) was destroyed by its deadline. */
  timedOut(request: unknown): boolean;
}

export function deadlineTransport(timeoutMs: number): DeadlineTransport {
  const expired = new WeakSet<object>();
  return {
    request(options, callback) {
      const req = (options.protocol === "https:" ? https : http).request(options, callback);
      const timer = setTimeout(() => {
        expired.add(req);
        const error = Object.assign(new Error(`no complete answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" });
        const waitingForSocket = req.socket == null;
        req.destroy(error);
        // Before a proxy agent hands over its socket (a CONNECT not answered yet), destroy emits nothing: say it here.
        if (waitingForSocket) process.nextTick(() => req.emit("error", error));
      }, timeoutMs);
      req.once("close", () => clearTimeout(timer));
      return req;
    },
    timedOut: (request) => typeof request === "object" && request !== null && expired.has(request),
  };
}

/**
 * The axios instance a client sends through: `transport`'s agents, no redirects (a signed request must not be replayed
 * elsewhere), `deadline` for each whole exchange, bodies as text both ways (the client serializes, signs and
 * validates them itself), every status answered rather than thrown (the retry policy decides). Kept apart from the
 * client so the benchmark measures axios alone with exactly the client's configuration.
 */
export function axiosFor(endpoint: string, timeoutMs: number, transport: Transport, deadline = deadlineTransport(timeoutMs)): AxiosInstance {
  return axios.create({
    baseURL: endpoint,
    timeout: timeoutMs,
    // No redirects are followed (maxRedirects 0), so this is what axios would use, with the deadline.
    transport: deadline,
    // Node's adapter by name: axios would otherwise walk its list (xhr, http, fetch) on every request.
    adapter: "http",
    httpAgent: transport.httpAgent,
    httpsAgent: transport.httpsAgent,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    transformRequest: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: MAX_ANSWER_BYTES,
    proxy: false,
  });
}
