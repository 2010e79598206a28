import http from "node:http";
import https from "node:https";
import { timingSafeEqual } from "node:crypto";
import { type Reply, adminError, entityTooLarge, gatewayRefusal, innerFailure, invalidParameter, noSuchApi } from "./apiErrors";
import { routeAdmin } from "./adminRoutes";
import type { EmulatorState } from "./emulatorState";
import { type FaultOutcome, afterApplyOutcome, faultLabel, preApplyOutcome } from "./faults";
import { authenticate } from "./requestAuth";
import { type LoggedRequest, REDACTED, redactAccessCode, redactAuthorization, redactQuery } from "./requestLog";
import { isPublishedApi, isWrite, routeShareApi } from "./shareRoutes";
import { StateSaveError } from "./shareStore";

/** Says why the emulator itself failed a request (a state file it cannot write), where whoever runs it looks. */
function warn(message: string): void {
  process.stderr.write(`koodrive-emulator: ${message}\n`);
}

/** KooDrive's gateway limit on request bodies. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Requests one connection may have waiting for their answers (pipelined and not read): more close it. */
const MAX_WAITING_TURNS = 1_000;
const ADMIN_PREFIX = "/__admin/";

/** How the transport behaves around the state it serves. */
export interface TransportOptions {
  /** When set, `/__admin/*` requires `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** Keep access codes in logged bodies (default: redacted). */
  logAccessCodes?: boolean;
  /** Called once per share-API request after it was answered (or dropped). */
  onRequest?: (entry: LoggedRequest) => void;
  /** Serve https with this certificate and key (PEM); plain http without. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** A request target split into its raw path and query, or undefined when it is not a path or its percent-encoding
 *  is malformed (`targetProblem` says which). */
function parseTarget(target: string): { path: string; rawQuery: string } | undefined {
  const originForm = originFormOf(target);
  if (originForm === undefined) return undefined;
  const q = originForm.indexOf("?");
  const path = q < 0 ? originForm : originForm.slice(0, q);
  const rawQuery = q < 0 ? "" : originForm.slice(q + 1);
  try {
    decodeURIComponent(path);
    decodeURIComponent(rawQuery.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
  return { path, rawQuery };
}

/** The origin-form of a target: itself when it is a path; the path and query of an absolute-form target ("http://host/
 *  path", as proxies send it), taken as sent (not normalised, like an origin-form one); undefined for anything else
 *  (`*`, `host:port`). */
function originFormOf(target: string): string | undefined {
  if (target.startsWith("/")) return target;
  try {
    new URL(target); // a valid absolute URL (its host too), of which the raw path is used below
  } catch {
    return undefined;
  }
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*(.*)$/.exec(target);
  if (!m) return undefined;
  const rest = m[1]!.replace(/#.*$/, "");
  return rest.startsWith("/") ? rest : `/${rest}`;
}

/** Why `parseTarget` refused a target. */
function targetProblem(target: string): string {
  return originFormOf(target) === undefined
    ? "the request target must be a path (origin-form or absolute-form)"
    : "the request target has a malformed percent-encoding";
}

/** Headers other than `Authorization` that carry credentials: a client behind a proxy, or a browser's cookies. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(["proxy-authorization", "cookie"]);

/** Keeps a credential header's scheme (`Basic`), never its value. */
function redactScheme(value: string): string {
  const scheme = /^[A-Za-z][\w-]* (?=\S)/.exec(value)?.[0] ?? "";
  return `${scheme}${REDACTED}`;
}

function loggedHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value.join(", ") : value;
    out[name] = name === "authorization" ? redactAuthorization(v) : CREDENTIAL_HEADERS.has(name) ? redactScheme(v) : v;
  }
  return out;
}

/**
 * How deep a body's arrays and objects may nest: the limit of the JSON parser a Java back end like KooDrive's uses
 * (Jackson's default `maxNestingDepth`). It also keeps every later `JSON.stringify` of a body (the request log, the
 * admin API's answer) far from the stack's limit.
 */
export const MAX_JSON_DEPTH = 1000;

/** Nesting depth of a parsed JSON value, counted without recursion (a body can nest deeper than the stack allows). */
function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop()!;
    if (typeof v !== "object" || v === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(v)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** The share API's rule for a request's body: JSON, said so in `Content-Type` (a `charset` parameter, if any, UTF-8). */
const CONTENT_TYPE_RULE = "header Content-Type must be application/json for a request with a body (a charset parameter, if any, must be UTF-8)";

/** Whether a `Content-Type` value says JSON: `application/json` (any case), optionally `; charset=UTF-8` (quoted or not). */
function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...params] = value.split(";").map((p) => p.trim());
  return type!.toLowerCase() === "application/json" && params.every((p) => /^charset=("?)utf-8\1$/i.test(p));
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; problem: string } {
  let text: string;
  try {
    text = utf8.decode(raw); // a Java back end's JSON parser refuses malformed UTF-8 instead of replacing it
  } catch {
    return { ok: false, problem: "the body must be valid UTF-8" };
  }
  if (text.trim() === "") return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "the body must be valid JSON" };
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) return { ok: false, problem: `the body must not nest arrays and objects deeper than ${MAX_JSON_DEPTH} levels` };
  return { ok: true, value };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The HTTP side of the emulator. Each request goes through these steps, in this order:
 *   1. read the body (at most 1 MiB is kept)          6. a pre-apply fault or throttling, then 413 over 1 MiB
 *   2. parse the request target                       7. authenticate; Content-Type, then the JSON body (UTF-8)
 *   3. admin API (its own auth; never faulted/logged) 8. route to the share API handler
 *   4. added latency                                  9. after-apply fault, for a write that changed the state
 *   5. gateway: 404 for no such API                  10. log, then answer (or drop)
 * Any exception becomes a 500 answer (or a dropped connection if the answer had started): no request can crash the
 * process hosting the emulator.
 */
export function createTransport(state: EmulatorState, options: TransportOptions = {}) {
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  // A client learns the server's time from Date, so every answer shows the emulator's clock, not the host's.
  const httpDate = () => new Date(state.clock.now()).toUTCString();

  function send(res: http.ServerResponse, reply: Reply): void {
    const payload = reply.json ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
    res.writeHead(reply.status, {
      Date: httpDate(),
      ...(payload ? { "Content-Type": "application/json;charset=UTF-8" } : {}),
      "Content-Length": Buffer.byteLength(payload),
      ...reply.headers,
    });
    res.end(payload);
  }

  /**
   * Runs `act` on the response's connection: now, or, for a pipelined request, once the answers before it on that
   * connection are sent (until then Node gives its response no socket, and a fault on it would do nothing: the client
   * would wait for ever).
   */
  function onConnection(res: http.ServerResponse, act: (socket: import("node:net").Socket) => void): void {
    if (res.socket) act(res.socket);
    else res.once("socket", act);
  }

  /** Connections whose last answer closes them: requests pipelined behind it are not run. */
  const closing = new WeakSet<object>();
  /** Answers `req` with `reply` and closes its connection once that is sent. */
  function refuseAndClose(req: http.IncomingMessage, res: http.ServerResponse, reply: Reply): void {
    closing.add(req.socket);
    req.resume();
    res.shouldKeepAlive = false;
    answerInTurn(req.socket, res, () => send(res, reply));
  }

  /**
   * Per connection: the turn of its latest request. Pipelined requests run one at a time, each once the answer before
   * it is sent: answers go out in order anyway, and run together each would build its answer while none could leave
   * (40 pipelined log dumps to a client that did not read held 1 GB). A refusal of a request Node cannot parse waits
   * its turn too (see the `clientError` handler).
   */
  const turns = new WeakMap<object, Promise<void>>();
  /** Per connection: requests waiting for their turn or being answered (see `answerInTurn`). */
  const waitingTurns = new WeakMap<object, number>();
  /**
   * Runs `answer` for `res` once every answer before it on `socket` is sent; its turn ends when `res` is sent or closed.
   * A request whose connection closed meanwhile is not run: its answer could not reach anyone.
   */
  function answerInTurn(socket: import("node:net").Socket, res: http.ServerResponse, answer: () => void): void {
    // A client that writes requests without reading the answers: none of them can leave, and Node keeps parsing the
    // next ones (it stops reading only when answers pile up unsent), each held here with its request and response.
    // 300,000 such requests held 700 MB and stalled the server for 40 s; past this many, the connection is closed.
    const waiting = (waitingTurns.get(socket) ?? 0) + 1;
    waitingTurns.set(socket, waiting);
    if (waiting > MAX_WAITING_TURNS) {
      socket.destroy();
      return;
    }
    const turn = (turns.get(socket) ?? Promise.resolve()).then(
      () =>
        new Promise<void>((done) => {
          if (socket.destroyed) return done();
          res.once("finish", done);
          res.once("close", done);
          answer();
        }),
    );
    void turn.then(() => waitingTurns.set(socket, (waitingTurns.get(socket) ?? 1) - 1));
    turns.set(socket, turn);
  }

  function deliver(res: http.ServerResponse, outcome: FaultOutcome): number {
    if (outcome.kind === "drop") {
      onConnection(res, (socket) => socket.destroy());
      return 0;
    }
    if (outcome.kind === "reset") {
      // A TCP RST (ECONNRESET / "connection reset by peer"), not an orderly close. Over https the TCP socket is the TLS
      // socket's `_parent`: a TLS socket itself cannot reset (it throws ERR_INVALID_HANDLE_TYPE).
      type Resettable = import("node:net").Socket & { resetAndDestroy?: () => void; _parent?: Resettable };
      onConnection(res, (connection) => {
        const socket = connection as Resettable;
        const tcp = socket._parent ?? socket;
        try {
          tcp.resetAndDestroy?.();
        } catch {
          // a socket that cannot send a reset (closed meanwhile): closed below all the same
        }
        socket.destroy();
      });
      return 0;
    }
    if (outcome.kind === "raw") {
      res.writeHead(outcome.status, { Date: httpDate(), "Content-Type": "application/json;charset=UTF-8", "Content-Length": outcome.body.length });
      res.end(outcome.body);
      return outcome.status;
    }
    send(res, outcome.reply);
    return outcome.reply.status;
  }

  function admin(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, raw: Buffer, tooLarge: boolean, badTarget?: string): void {
    if (options.adminToken !== undefined) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (given === undefined || !sameSecret(given, options.adminToken)) {
        send(res, adminError("the admin API needs Authorization: Bearer <admin token> (--admin-token / KOODRIVE_EMULATOR_ADMIN_TOKEN)", 401));
        return;
      }
    }
    if (badTarget !== undefined) {
      send(res, adminError(badTarget));
      return;
    }
    if (tooLarge) {
      send(res, adminError("the body must be JSON of at most 1 MiB"));
      return;
    }
    const body = parseJson(raw);
    if (!body.ok) {
      send(res, adminError(body.problem));
      return;
    }
    try {
      send(res, routeAdmin(state, method, path, body.value));
    } catch (e) {
      if (!(e instanceof StateSaveError)) throw e;
      warn(`${method} ${path.slice(0, 200)}: ${e.message}`);
      send(res, adminError(e.message, 500));
    }
  }

  async function respond(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer, bodyBytes: number): Promise<void> {
    const started = performance.now();
    const method = req.method ?? "GET";
    const tooLarge = bodyBytes > MAX_BODY_BYTES;
    const target = parseTarget(req.url ?? "/"); // step 2
    const query = target ? Object.fromEntries(new URLSearchParams(target.rawQuery)) : {};
    const entry: Omit<LoggedRequest, "seq"> = {
      time: new Date(state.clock.now()).toISOString(),
      method,
      // An unparsable target is logged without its query, which may hold anything.
      path: (target?.path ?? (req.url ?? "").split("?")[0] ?? "").slice(0, 2048),
      query: options.logAccessCodes ? query : redactQuery(query),
      headers: loggedHeaders(req.headers),
      bodyBytes,
      status: 0,
    };
    const finish = (outcome: FaultOutcome) => {
      entry.status = deliver(res, outcome);
      entry.ms = Math.round((performance.now() - started) * 10) / 10;
      const logged = state.requests.add(entry);
      options.onRequest?.(logged);
    };
    if (!target) {
      const rawPath = originFormOf(req.url ?? "");
      if (rawPath?.startsWith(ADMIN_PREFIX)) return admin(req, res, method, rawPath, raw, tooLarge, targetProblem(req.url ?? ""));
      // `OPTIONS *` and other targets that are no path: no API is published there.
      if (rawPath === undefined && (req.url === "*" || method === "OPTIONS")) return finish({ kind: "reply", reply: noSuchApi() });
      return finish({ kind: "reply", reply: invalidParameter(targetProblem(req.url ?? "")) });
    }
    if (target.path.startsWith(ADMIN_PREFIX)) return admin(req, res, method, target.path, raw, tooLarge); // step 3

    const latency = state.faults.latencyMs; // step 4
    if (latency > 0) await sleep(latency);
    // Step 5: an unpublished path is the gateway's 404, before any fault or throttle count: a typo or a probe must
    // not use up the fault meant for the client's next API call.
    if (!isPublishedApi(method, target.path)) return finish({ kind: "reply", reply: noSuchApi() });
    const preApply = state.faults.next(state.clock.now()); // step 6 (unauthenticated requests count too)
    const preOutcome = preApplyOutcome(preApply);
    if (preOutcome) {
      entry.fault = faultLabel(preApply);
      return finish(preOutcome);
    }
    if (tooLarge) return finish({ kind: "reply", reply: entityTooLarge() });
    const auth = authenticate({ method, path: target.path, rawQuery: target.rawQuery, headers: req.headers, body: raw }, state.auth, state.clock.now()); // step 6
    if (!auth.ok) return finish({ kind: "reply", reply: auth.reply });
    entry.auth = auth.scheme;
    if (raw.length > 0 && !isJsonContentType(req.headers["content-type"])) return finish({ kind: "reply", reply: invalidParameter(CONTENT_TYPE_RULE) }); // step 7
    const body = parseJson(raw);
    if (!body.ok) return finish({ kind: "reply", reply: invalidParameter(body.problem) });
    if (body.value !== undefined) entry.body = options.logAccessCodes ? body.value : redactAccessCode(body.value);

    let reply: Reply; // step 8
    try {
      reply = routeShareApi(state, method, target.path, { query: new URLSearchParams(target.rawQuery), body: body.value, userId: auth.userId });
    } catch (e) {
      if (!(e instanceof StateSaveError)) throw e;
      // The store rolled the change back: the 500 means "not applied", and the log says so.
      warn(`${method} ${target.path.slice(0, 200)}: ${e.message}; answered 500`);
      entry.applied = false;
      entry.error = e.message;
      return finish({ kind: "reply", reply: innerFailure() });
    }
    if (!(isWrite(method) && reply.status === 200 && !reply.unchanged)) return finish({ kind: "reply", reply });
    entry.applied = true; // step 9
    const afterApply = state.faults.afterApply();
    entry.fault = faultLabel(afterApply);
    if (afterApply.kind === "delayAfterApply") {
      // A client that gives up waiting (its timeout) closes its side during the delay: it gets no answer, and the log
      // says so. Its close is a FIN, like that of a client that half-closes right after its request (`nc`) and still
      // reads the answer, so what tells them apart is when it is read: a FIN that had arrived when the delay began is
      // read within the next two turns of the event loop (each reads what is pending), however late a busy loop gets
      // to them; one read after those came later. (Turns, not milliseconds: a stalled loop reads an early FIN late.)
      let listening = false;
      let gaveUp = false;
      const onClose = () => {
        if (listening) gaveUp = true;
      };
      if (!req.socket.readableEnded) req.socket.once("end", onClose);
      const delay = sleep(afterApply.delayMs);
      for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
      listening = true;
      await delay;
      req.socket.off("end", onClose);
      if (res.destroyed || gaveUp) return finish({ kind: "drop" });
    }
    finish(afterApplyOutcome(afterApply, reply)); // step 10
  }

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("error", () => undefined); // an aborted upload: nothing to answer
    res.on("error", () => undefined);
    // A request pipelined behind an answer that closes the connection gets no answer: it must not be run either (a
    // write applied and never answered, logged as answered).
    if (closing.has(req.socket)) {
      req.resume();
      return;
    }
    // Node would answer a request without Host itself (HTTP/1.1 requires one), bare and with the host's Date.
    if (req.headers.host === undefined && req.httpVersion === "1.1") {
      refuseAndClose(req, res, gatewayRefusal(400, "Bad request."));
      return;
    }
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
      else chunks.length = 0; // step 1: an oversized body is counted, not kept
    });
    // In turn from the end of its body: a request whose body never ends (a bad chunk, a timeout) is the one Node
    // refuses, and must not hold its own refusal back (see the `clientError` handler).
    req.on("end", () => {
      const body = size > MAX_BODY_BYTES ? Buffer.alloc(0) : Buffer.concat(chunks);
      answerInTurn(req.socket, res, () => {
        respond(req, res, body, size).catch(() => {
          try {
            if (res.headersSent) res.socket?.destroy();
            else send(res, innerFailure());
          } catch {
            res.socket?.destroy();
          }
        });
      });
    });
  };
  // A client that gives up on the handshake (an untrusted certificate) only ends its own connection: https.Server
  // reports it as `tlsClientError` and destroys the socket, with nothing to answer.
  // A request without Host is answered by `handle`, as the gateway would, not refused by Node before it.
  const serverOptions = { requireHostHeader: false };
  const server =
    options.tls === undefined
      ? http.createServer(serverOptions, handle)
      : https.createServer({ ...serverOptions, allowHalfOpen: true, cert: options.tls.cert, key: options.tls.key }, handle);
  server.keepAliveTimeout = 5_000;
  // A client that half-closes its connection once it has sent its requests (`nc`, a script's `socket.end(request)`)
  // still gets every answer, as from a gateway. Node's default aborts the requests not yet answered and ends the
  // connection at that FIN: answers were logged as sent that never left, and pipelined writes were silently skipped.
  // (A property of Node's http and https servers that @types/node does not declare; a test holds its effect.)
  (server as { httpAllowHalfOpen?: boolean }).httpAllowHalfOpen = true;
  // Every TCP connection, until it closes: over https, `closeAllConnections` knows only those whose TLS handshake
  // finished, and close() must not wait for a client that never finishes its own.
  const connections = new Set<import("node:net").Socket>();
  server.on("connection", (socket: import("node:net").Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
  // `CONNECT` (a client that takes the emulator for its https proxy): the gateway's "no such API", not a bare close.
  server.on("connect", (_req: http.IncomingMessage, socket: import("node:stream").Duplex) => {
    const payload = JSON.stringify(noSuchApi().body);
    socket.on("error", () => undefined);
    socket.end(
      `HTTP/1.1 404 Not Found\r\nDate: ${httpDate()}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
      () => socket.destroy(),
    );
  });
  // An `Expect` the emulator does not meet: the gateway's JSON refusal with the emulator's Date, not Node's bare 417.
  server.on("checkExpectation", (req: http.IncomingMessage, res: http.ServerResponse) => refuseAndClose(req, res, gatewayRefusal(417, "Expectation failed.")));
  // HTTP-level parse errors (bad request line, conflicting lengths, oversized headers, ...) get a gateway-style JSON
  // answer with the emulator's Date, not Node's bare 400.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: import("node:stream").Duplex) => {
    // A TLS failure (a handshake that timed out or broke) leaves no channel to answer on: an answer would never finish.
    const tlsFailure = /^ERR_(TLS|SSL)_/.test(err.code ?? "");
    if (err.code === "ECONNRESET" || tlsFailure || !socket.writable) {
      socket.destroy();
      return;
    }
    // Requests before the bad one on this connection (pipelined) are answered first, in order: written now, the
    // refusal would reach the client as the answer to a write that was applied.
    const lastTurn = turns.get(socket);
    if (lastTurn === undefined) refuse(err, socket);
    else void lastTurn.then(() => refuse(err, socket));
  });
  /** Answers a request Node could not parse, and closes the connection. */
  function refuse(err: NodeJS.ErrnoException, socket: import("node:stream").Duplex): void {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, msg] =
      err.code === "HPE_HEADER_OVERFLOW"
        ? [431, "Request Header Fields Too Large", "Request headers too large."]
        : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "Request Timeout", "Request timeout."]
          : [400, "Bad Request", "Bad request."];
    const payload = JSON.stringify({ error_code: "APIGW.0201", error_msg: msg });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nDate: ${httpDate()}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
      () => socket.destroy(),
    );
  }

  return {
    server,
    /** Stops listening, cancels pending delays and closes open connections. */
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of connections) socket.destroy();
      }),
  };
}
