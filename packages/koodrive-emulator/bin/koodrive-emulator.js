#!/usr/bin/env node
// The bin is a committed file so npm links it in a fresh workspace checkout before dist/ is built.
require("../dist/cli.js");
