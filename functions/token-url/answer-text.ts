/**
 * An answer body as text, decoded by the charset it declares (Content-Type's `charset`, else
 * its byte-order mark, else UTF-8), before the redaction or the record reads it: a UTF-16
 * token body read as UTF-8 hides its tokens between NUL bytes.
 */
export function answerText(body: Buffer, contentType: string | undefined): string {
  const label = bomCharset(body) ?? declaredCharset(contentType) ?? "utf-8";
  try {
    return new TextDecoder(label).decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body); // an unknown label: read it as Alexa's client would
  }
}

/** Every reading of the body worth hunting tokens in: the declared one and UTF-8 (a server
 * may declare one charset and send another). */
export function answerReadings(body: Buffer, contentType: string | undefined): string[] {
  const declared = answerText(body, contentType);
  const utf8 = body.toString("utf8");
  return declared === utf8 ? [declared] : [declared, utf8];
}

export function declaredCharset(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return match?.[1].toLowerCase();
}

function bomCharset(body: Buffer): string | undefined {
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return "utf-16le";
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return "utf-16be";
  return undefined;
}
