import net from "node:net";

/** Sends exact bytes over a fresh TCP connection; resolves with everything received until the server closes it or
 *  `timeoutMs` passes (then "" plus whatever arrived). No HTTP library in between, so any request line is possible. */
export function sendRaw(baseUrl: string, request: string | Buffer, timeoutMs = 5000): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString("latin1"));
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on("data", (c) => chunks.push(c));
    socket.on("close", done);
    socket.on("error", done);
    socket.end(request);
  });
}

/** The status code of a raw HTTP answer, or undefined when there was none. */
export function statusOf(response: string): number | undefined {
  const m = /^HTTP\/1\.1 (\d{3}) /.exec(response);
  return m ? Number(m[1]) : undefined;
}
