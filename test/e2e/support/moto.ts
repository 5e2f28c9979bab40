import { ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** A moto_server on 127.0.0.1 and a free port, in its own process group so that stopping it
 * also stops the Python process behind a pyenv shim. */
export class MotoServer {
  private constructor(
    private readonly process: ChildProcess,
    readonly endpoint: string,
  ) {}

  static async start(motoServer: string): Promise<MotoServer> {
    const port = await freePort();
    const child = spawn(motoServer, ["-H", "127.0.0.1", "-p", String(port)], {
      detached: true,
      stdio: "ignore",
    });
    const server = new MotoServer(child, `http://127.0.0.1:${port}`);
    try {
      await server.waitUntilReady();
    } catch (error) {
      server.stop();
      throw error;
    }
    return server;
  }

  stop(): void {
    if (this.process.pid !== undefined && this.process.exitCode === null) {
      try {
        process.kill(-this.process.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`moto_server exited with ${this.process.exitCode}`);
      try {
        const response = await fetch(`${this.endpoint}/moto-api/`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error("moto_server did not answer within 30 s");
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
