// The TLS test fixtures (test/fixtures/tls/make.sh), for the client and engine tests of KooDrive's https path (the
// emulator package's tests read the same files themselves): a CA, and a server certificate it signed for 127.0.0.1,
// ::1 and localhost.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const TLS_DIR = path.join(__dirname, "..", "fixtures", "tls");
const TLS_FIXTURES = {
  /** The CA's certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: path.join(TLS_DIR, "ca.pem"),
  /** @returns {{ cert: string, key: string }} the server certificate and key, as the emulator's `tls` option takes them */
  serverTls() {
    return { cert: fs.readFileSync(path.join(TLS_DIR, "server.pem"), "utf8"), key: fs.readFileSync(path.join(TLS_DIR, "server-key.pem"), "utf8") };
  },
};

module.exports = { TLS_FIXTURES };
