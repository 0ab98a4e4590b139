// Public face of the CLI.
export { buildProgram, runCli } from './program.js';
export { EXIT, CliError } from './cli-error.js';
