#!/usr/bin/env node
/** The `headroom` executable (package.json `bin`). */
import { processIo } from "./io.js";
import { runCli } from "./program.js";

const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
