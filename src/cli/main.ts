#!/usr/bin/env node
// Entry point of `rondo` (bin/rondo imports the built copy; `npx tsx src/cli/main.ts` runs it from source).
import { runCli } from './program.js';

const code = await runCli(process.argv);
// `serve` keeps running on its own handles; every other command ends here.
if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;
