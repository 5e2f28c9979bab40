/** One POST to a runtime on 127.0.0.1, as Alexa's Java client sends it unless `headers` say
 * otherwise: form-urlencoded UTF-8, an Apache-HttpClient User-Agent, no Origin. */
import { request } from "node:http";

export const ALEXA_FORM = "application/x-www-form-urlencoded;charset=UTF-8";
export const ALEXA_USER_AGENT = "Apache-HttpClient/UNAVAILABLE (Java/17.0.9)";

export interface PostResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export function postForm(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<PostResult> {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers: { "Content-Type": ALEXA_FORM, "User-Agent": ALEXA_USER_AGENT, "Content-Length": String(bytes.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", reject);
    req.end(bytes);
  });
}
