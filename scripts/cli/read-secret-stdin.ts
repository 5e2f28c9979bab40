/**
 * A secret piped to a CLI (`--client-secret-stdin`): read to the end of input, one trailing
 * newline dropped (what `echo` or a file adds), nothing else trimmed, since a secret may end in
 * spaces. Standard input keeps the value out of ps, shell history and npm's echo of the command.
 */
export async function readSecretFromStdin(
  what: string,
  input: NodeJS.ReadStream = process.stdin,
  prompt: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  // Typed at a terminal, nothing would tell the user the CLI is waiting for them.
  if (input.isTTY) prompt.write(`Reading the ${what} from standard input; type it, then press Enter and Ctrl-D.\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}
