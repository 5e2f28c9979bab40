/**
 * `npm start`: the debugger on 127.0.0.1 without AWS. POST /token runs the stack's request
 * template, the Lambda's handler (same MODE / TOKEN_URL config) and the response template;
 * each attempt is printed as one line and appended to the records file that
 * `npm run logs -- --local` reads.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { readSettings } from "../functions/token-url/settings";
import { ConfigError, functionEnvironment, loadConfig } from "../infra/config";
import { exitQuietlyOnBrokenPipe } from "./cli/broken-pipe";
import { renderSummaryLine } from "./report/render-summary";
import { outputLayout, summaryWidth } from "./report/output-layout";
import { createStyle } from "./report/style";
import { printable } from "./report/text";
import { startLocalRuntime } from "./local/local-runtime";

const USAGE = `Usage: npm start [-- --port N]

Runs the token URL debugger on http://127.0.0.1:8787/token (PORT or --port to change), in
dummy mode, or in proxy mode in front of TOKEN_URL. Ctrl-C (or kill <pid>) stops it after
answering the requests in flight; a second one stops it at once.

Only this machine can reach it: Alexa cannot call 127.0.0.1. To test with the real Alexa,
deploy (npm run deploy), or put a tunnel in front of it and name its host in ALLOWED_HOSTS
(ALLOWED_HOSTS=abc.ngrok.app): requests naming any other Host are refused (DNS rebinding).
A request a web page sent (an Origin other than this runtime's, or Sec-Fetch-Site
cross-site or same-site) is refused with 403, forwarded nowhere and not recorded.`;

async function main(argv: string[]): Promise<number> {
  let port: number;
  let config;
  try {
    const { values } = parseArgs({ args: argv, options: { port: { type: "string" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    config = loadConfig(values.port === undefined ? process.env : { ...process.env, PORT: values.port });
    port = config.localPort;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  for (const notice of config.notices) console.error(notice);
  const layout = outputLayout(process.stdout, process.env);
  const style = createStyle(layout.color);
  const recordsFile = resolve(config.localRecordsFile);
  let runtime;
  try {
    runtime = await startLocalRuntime({
      port,
      // A deploy stamps DEBUGGER_EXPIRES_AT; npm start never expires unless it is set here.
      settings: readSettings({
        ...functionEnvironment(config),
        ...(config.localExpiresAt ? { DEBUGGER_EXPIRES_AT: config.localExpiresAt } : {}),
      }),
      recordsFile,
      allowedHosts: config.localAllowedHosts,
      onAttempt: (record) => console.log(renderSummaryLine(record, { color: layout.color, width: summaryWidth(layout) })),
      // The reason may quote what the client sent (a Content-Type, a path, an Origin): escaped,
      // on one line, so a client cannot move the cursor or forge a line of its own.
      onRefused: (status, reason) => console.log(style.dim(`${status} from "API Gateway", not recorded: ${printable(reason).replace(/\n/g, "\\n")}`)),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    console.error(`Port ${port} on 127.0.0.1 is in use: stop what runs there, or set PORT / pass --port.`);
    return 2;
  }
  const mode = config.mode === "proxy" ? `proxy mode, forwarding to ${config.tokenUrl}` : "dummy mode";
  console.log(`Token URL debugger (${mode}) on ${style.bold(runtime.url)}`);
  console.log(style.dim(`Attempts are appended to ${recordsFile}; read them with npm run logs -- --local. Ctrl-C stops.`));

  const signal = await new Promise<NodeJS.Signals>((resolvePromise) => {
    process.once("SIGINT", resolvePromise);
    process.once("SIGTERM", resolvePromise);
  });
  // The port is released at once; requests in flight still finish and are recorded. A second
  // signal means "now": the upstream may take its whole timeout to answer.
  const force = () => process.exit(signal === "SIGINT" ? 130 : 143);
  process.once("SIGINT", force);
  process.once("SIGTERM", force);
  await runtime.close();
  return 0;
}

exitQuietlyOnBrokenPipe();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
