// A forward proxy for https targets, as corporate proxies are: it answers `CONNECT host:port` and relays the bytes of
// the TLS session it cannot read. Used by the client and engine tests of KooDrive's https path.
"use strict";
const http = require("node:http");
const net = require("node:net");

/**
 * Starts the proxy on a free loopback port. `seen` lists each request line it received (`CONNECT 127.0.0.1:4431`;
 * a plain-http request shows as `GET http://...` and is refused with 400: this proxy only tunnels).
 * `refuseWith` answers every CONNECT with that status instead of tunnelling (a proxy that refuses the target), with
 * `refusalPage` as its body when given, sent `pageAfterMs` after the headers (as a block page often comes: a separate
 * TCP segment). `refuseAfter` tunnels that many CONNECTs first.
 * @param {{ refuseWith?: number, refusalPage?: string, pageAfterMs?: number, refuseAfter?: number }} [options]
 */
async function startConnectProxy(options = {}) {
  /** @type {string[]} */
  const seen = [];
  let connections = 0;
  /** @type {Set<import("node:net").Socket>} */
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(400).end();
  });
  server.on("connect", (req, /** @type {import("node:net").Socket} */ client, head) => {
    seen.push(`CONNECT ${req.url}`);
    client.on("error", () => undefined);
    const tunnelled = seen.filter((line) => line.startsWith("CONNECT ")).length - 1;
    if (options.refuseWith !== undefined && tunnelled >= (options.refuseAfter ?? 0)) {
      const page = options.refusalPage ?? "";
      client.write(
        `HTTP/1.1 ${options.refuseWith} Refused\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(page)}\r\nConnection: close\r\n\r\n`,
      );
      setTimeout(() => client.end(page), options.pageAfterMs ?? 0);
      return;
    }
    const target = new URL(`http://${req.url}`);
    const upstream = net.connect(Number(target.port), target.hostname.replace(/^\[|\]$/g, ""), () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  server.on("connection", (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}`,
    seen,
    /** TCP connections clients opened to the proxy. */
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve(undefined));
      }),
  };
}

module.exports = { startConnectProxy };
