/**
 * How the local runtime ends a connection without resetting its client. A server that closes
 * a socket holding bytes it has not read makes the kernel answer with a TCP reset, and a reset
 * can destroy an answer the client has not read yet. So a close is a lingering close (RFC 9112
 * §9.6): half-close after the last answer, then read and discard what the client still sends
 * until it closes its side too, or LINGER_MS pass.
 */
import { Server } from "node:http";
import { Socket } from "node:net";

const LINGER_MS = 2_000;

/** Makes every close of `server`'s connections a lingering one, and answers bytes that are not
 * HTTP (a malformed request, or a body its client forgot to declare) with one 400 or 431, the
 * way Node would, instead of dropping the connection. `busy` says whether a request on the
 * socket is still being answered: that answer goes out first, and closes the connection. */
export function closeConnectionsGently(
  server: Server,
  busy: (socket: Socket) => boolean,
  closeAfterAnswer: (socket: Socket) => void,
  onRefused: (status: number, reason: string) => void,
): void {
  server.on("connection", (socket: Socket) => {
    // Node calls destroySoon() after an answer sent with Connection: close.
    socket.destroySoon = () => lingeringClose(socket);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === "ECONNRESET") return void socket.destroy();
    if (!socket.writable) return; // already closing, and lingering
    if (busy(socket)) return closeAfterAnswer(socket);
    const [status, text] = error.code === "HPE_HEADER_OVERFLOW" ? [431, "Request Header Fields Too Large"] : [400, "Bad Request"];
    socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    onRefused(status, `not an HTTP request (${error.code ?? error.message})`);
    lingeringClose(socket);
  });
}

function lingeringClose(socket: Socket): void {
  if (socket.destroyed || !socket.writable) return;
  socket.end();
  socket.resume(); // keep reading, so unread bytes never turn into a reset
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("end", () => socket.destroy());
  socket.once("close", () => clearTimeout(timer));
}
