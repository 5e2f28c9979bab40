/**
 * Property-based robustness: whatever Alexa (or anyone) sends, and whatever bytes the token
 * URL answers with, the handler answers with a well-formed response and logs exactly one
 * serializable record, within its timeout.
 */
import fc from "fast-check";
import { createServer, Server, Socket } from "node:net";
import { AddressInfo } from "node:net";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { TokenEvent } from "../../functions/token-url/event";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { FunctionSettings } from "../../functions/token-url/settings";
import { hostileEvent, hostileRequest, secretsIn, templateEvent } from "../support/hostile-requests";
import { testSettings } from "../support/settings";

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

async function run(event: unknown, settings: FunctionSettings) {
  const records: AttemptRecord[] = [];
  const response = await handleTokenRequest(event as TokenEvent, settings, (record) => records.push(record));
  expect(Number.isInteger(response.statusCode)).toBe(true);
  expect(typeof response.body).toBe("string");
  expect(records).toHaveLength(1);
  const line = JSON.stringify(records[0]);
  expect(JSON.parse(line)).toMatchObject({ type: "token-attempt", version: 1 });
  return { response, record: records[0] };
}

describe("handler robustness", () => {
  test("GIVEN any event in dummy mode THEN a token answer and one record", async () => {
    await fc.assert(
      fc.asyncProperty(hostileEvent, async (event) => {
        const { response } = await run(event, testSettings());
        expect(response.statusCode).toBe(200);
      }),
      { numRuns: 300 },
    );
  });

  test("GIVEN any hostile request as the request template renders it THEN a token answer, one record, no secret in clear", async () => {
    // The generators of the local runtime's fuzz suite, one layer down: straight into the handler.
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        const { response, record } = await run(templateEvent(request), testSettings());
        expect(response.statusCode).toBe(200);
        const line = JSON.stringify(record);
        for (const secret of secretsIn([request])) expect(line).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });

  describe("GIVEN any byte stream from the token URL", () => {
    let server: Server;
    let nextAnswer: Buffer = Buffer.alloc(0);
    const sockets = new Set<Socket>();
    let tokenUrl: string;

    beforeAll(async () => {
      // A raw TCP server: it answers each connection with whatever bytes the property chose,
      // then closes, so malformed status lines, headers and bodies all reach the client.
      server = createServer((socket) => {
        sockets.add(socket);
        socket.once("data", () => socket.end(nextAnswer));
        socket.on("error", () => undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    const httpish = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
      fc
        .record({
          status: fc.integer({ min: 100, max: 999 }),
          headers: fc.array(
            fc.oneof(
              fc.constantFrom(
                "Content-Type: application/json",
                "Content-Encoding: gzip",
                "Content-Encoding: br",
                "Content-Length: 5",
                "Content-Length: 99999",
                "Transfer-Encoding: chunked",
                "Location: /elsewhere",
              ),
              fc.string({ maxLength: 40 }),
            ),
            { maxLength: 5 },
          ),
          body: fc.uint8Array({ maxLength: 300 }),
        })
        .map(({ status, headers, body }) =>
          Buffer.concat([Buffer.from(`HTTP/1.1 ${status} X\r\n${headers.join("\r\n")}\r\n\r\n`), Buffer.from(body)]),
        ),
    );

    test("THEN Alexa gets a well-formed answer and one record, within the timeout", async () => {
      await fc.assert(
        fc.asyncProperty(httpish, async (answer) => {
          nextAnswer = answer;
          const started = Date.now();
          const { response } = await run(
            { bodyBase64: base64(Buffer.from("grant_type=authorization_code&code=x")), headersBase64: [] },
            testSettings({ mode: "proxy", tokenUrl, upstreamTimeoutMs: 1_000 }),
          );
          expect(Date.now() - started).toBeLessThan(1_500);
          expect(response.statusCode).toBeGreaterThanOrEqual(100);
        }),
        { numRuns: 150 },
      );
    }, 120_000);
  });
});
