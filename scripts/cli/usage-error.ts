/** A command line the CLIs cannot run: printed with the usage, exit code 2. */
export class UsageError extends Error {}
