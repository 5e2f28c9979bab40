/**
 * The Terraform address `npm run deploy -- --extend` replaces to restart the debugger's clock.
 * A file of its own, free of cdktf: the deploy command needs only this string, and importing
 * it from debugger-expiry.ts loads cdktf (about 0.3 s) before the command can even print its
 * --help (npm run bench -- startup).
 */
export const EXPIRY_CLOCK_ADDRESS = "terraform_data.debugger_clock";
