/** Token URLs on 127.0.0.1 that answer as real ones do, right or wrong, for the wrapper and
 * probe suites. */
import { IncomingMessage, ServerResponse } from "node:http";
import { LeafCertificate, testPki } from "./pki";
import { startHttpsServer, TestServer } from "./tls-servers";

export type Answer = (request: IncomingMessage, response: ServerResponse) => void;

export interface AnswerChanges {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** A correct RFC 6749 §5.1 answer carrying `token`, with any status, header or body changed;
 * sent once the whole request has arrived. */
export function answerWith(token: object, changes: AnswerChanges = {}): Answer {
  return (request, response) => {
    const answer = () => {
      response.writeHead(changes.status ?? 200, {
        "Content-Type": "application/json;charset=UTF-8",
        "Cache-Control": "no-store",
        Pragma: "no-cache",
        ...changes.headers,
      });
      response.end(changes.body ?? JSON.stringify(token));
    };
    // A handler that read the request itself calls this after the end.
    if (request.readableEnded) return answer();
    request.resume();
    request.on("end", answer);
  };
}

/** An HTTPS token URL with `leaf`'s certificate; `sendChain: false` leaves the intermediate out. */
export const httpsWith =
  (leaf: LeafCertificate, answer: Answer, sendChain = true) =>
  (): Promise<TestServer> =>
    startHttpsServer({ key: leaf.key, cert: sendChain ? leaf.chain : leaf.cert }, answer);

/** An HTTPS token URL with a valid, fully chained certificate. */
export const healthy = (answer: Answer) => httpsWith(testPki().valid, answer);
