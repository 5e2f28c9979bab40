/**
 * An EMULATOR of Login with Amazon's token endpoint and the Skill Management API's
 * account-linking resource, on 127.0.0.1 over plain HTTP. Amazon's services cannot run here
 * (no internet, no Amazon account), so this server is built from their documented contract
 * (ask-smapi-model 1.24.0, Amazon's account-linking-operations docs), and only that:
 *
 * - LWA `POST /auth/o2/token`: form-encoded refresh grant, client credentials in the body;
 *   400 invalid_grant for an unknown refresh token, 401 invalid_client for a wrong client.
 * - SMAPI `GET /v1/skills/{skillId}/stages/{stage}/accountLinkingClient` with a Bearer token:
 *   200 with an ETag, the body wrapped in "accountLinkingResponse" (the docs) or not (the SDK)
 *   as the skill is set up, and never the clientSecret.
 * - `PUT` the same path with {"accountLinkingRequest": {…}}: only "development" is writable;
 *   a stale If-Match gives 412 and writes nothing; otherwise the request replaces the WHOLE
 *   configuration (a field left out is gone), 204 with a new ETag.
 * - 401 for an unknown access token, 403 for a skill of another vendor, 404 for a skill or
 *   stage without account linking.
 *
 * It records every request, so tests can count HTTP calls and see what was sent.
 */
import { randomBytes } from "node:crypto";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { AddressInfo, Socket } from "node:net";

export type Settings = Record<string, unknown>;

export interface EmulatedSkill {
  /** The stored configuration, clientSecret included (as Amazon keeps it). */
  settings: Settings;
  etag: string;
  /** GET answers {"accountLinkingResponse": …} (the docs' shape) instead of the bare object. */
  readonly wrapped: boolean;
  /** Belongs to another vendor: every call is 403. */
  readonly foreign: boolean;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

export interface LwaClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

export class AmazonEmulator {
  readonly requests: ReceivedRequest[] = [];
  private readonly skills = new Map<string, EmulatedSkill>();
  private readonly accessTokens = new Set<string>();
  private readonly sockets = new Set<Socket>();
  /** Runs when the next PUT arrives, before its If-Match is checked (a race with the console);
   * "hang-up" drops the connection without an answer, after storing nothing. */
  beforeNextPut?: () => void | "hang-up";

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly baseUrl: string,
    private readonly lwa: LwaClient,
  ) {}

  static async start(lwa: LwaClient): Promise<AmazonEmulator> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const emulator = new AmazonEmulator(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lwa);
    server.on("connection", (socket) => {
      emulator.sockets.add(socket);
      socket.on("close", () => emulator.sockets.delete(socket));
    });
    server.on("request", (req, res) => emulator.receive(req, res));
    return emulator;
  }

  /** An access token SMAPI accepts as it is (what ASK_ACCESS_TOKEN would hold). */
  grantAccessToken(token: string): void {
    this.accessTokens.add(token);
  }

  /** A skill's development-stage account linking, as the console would have stored it. */
  addSkill(skillId: string, settings: Settings, options: { wrapped?: boolean; foreign?: boolean } = {}): void {
    this.skills.set(`${skillId}/development`, {
      settings: structuredClone(settings),
      etag: newEtag(),
      wrapped: options.wrapped ?? false,
      foreign: options.foreign ?? false,
    });
  }

  /** As someone editing the skill in the console: new settings, new ETag. */
  editSkill(skillId: string, change: Settings): void {
    const skill = this.skill(skillId);
    skill.settings = { ...skill.settings, ...change };
    skill.etag = newEtag();
  }

  /** The stored configuration, clientSecret included. */
  stored(skillId: string): Settings {
    return structuredClone(this.skill(skillId).settings);
  }

  etagOf(skillId: string): string {
    return this.skill(skillId).etag;
  }

  /** Every access token LWA issued or SMAPI accepts: none may reach the tool's output. */
  knownAccessTokens(): string[] {
    return [...this.accessTokens];
  }

  /** Every request the tool made to SMAPI (GET, PUT) or LWA, since the last reset. */
  calls(): string[] {
    return this.requests.map((request) => `${request.method} ${request.path.startsWith("/auth/") ? "LWA" : "SMAPI"}`);
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private skill(skillId: string): EmulatedSkill {
    const skill = this.skills.get(`${skillId}/development`);
    if (!skill) throw new Error(`no emulated skill ${skillId}`);
    return skill;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      this.requests.push(request);
      if (request.path === "/auth/o2/token" && request.method === "POST") return this.token(request, res);
      const match = /^\/v1\/skills\/([^/]+)\/stages\/([^/]+)\/accountLinkingClient$/.exec(request.path);
      if (match) return this.accountLinking(request, decodeURIComponent(match[1]), decodeURIComponent(match[2]), res);
      send(res, 404, { message: "Resource not found." });
    });
  }

  private token(request: ReceivedRequest, res: ServerResponse): void {
    const form = new URLSearchParams(request.body);
    if (!String(request.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
      return send(res, 400, { error: "invalid_request", error_description: "form body required" });
    }
    if (form.get("grant_type") !== "refresh_token") return send(res, 400, { error: "unsupported_grant_type" });
    if (form.get("client_id") !== this.lwa.clientId || form.get("client_secret") !== this.lwa.clientSecret) {
      return send(res, 401, { error: "invalid_client", error_description: "Client authentication failed" });
    }
    if (form.get("refresh_token") !== this.lwa.refreshToken) {
      return send(res, 400, { error: "invalid_grant", error_description: "The request has an invalid grant parameter : refresh_token" });
    }
    const accessToken = `Atza|${randomBytes(24).toString("base64url")}`;
    this.accessTokens.add(accessToken);
    send(res, 200, { access_token: accessToken, refresh_token: this.lwa.refreshToken, token_type: "bearer", expires_in: 3600 });
  }

  private accountLinking(request: ReceivedRequest, skillId: string, stage: string, res: ServerResponse): void {
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
    if (bearer === undefined || !this.accessTokens.has(bearer)) return send(res, 401, { message: "Token is invalid/expired" });
    const skill = this.skills.get(`${skillId}/${stage}`);
    if (skill?.foreign) return send(res, 403, { message: "User has insufficient permission to perform the operation." });
    if (request.method === "PUT" && stage !== "development") {
      return send(res, 403, { message: "Only the development stage can be updated." });
    }
    if (!skill) return send(res, 404, { message: "There is no account linking for this skill and stage." });

    if (request.method === "GET") {
      const { clientSecret: _never, ...visible } = skill.settings; // GET never returns the secret
      res.setHeader("ETag", skill.etag);
      return send(res, 200, skill.wrapped ? { accountLinkingResponse: visible } : visible);
    }
    if (request.method !== "PUT") return send(res, 405, { message: "Method not allowed" });
    const race = this.beforeNextPut;
    this.beforeNextPut = undefined;
    if (race?.() === "hang-up") return void res.socket?.destroy();
    const ifMatch = request.headers["if-match"];
    if (ifMatch !== undefined && ifMatch !== skill.etag) {
      return send(res, 412, { message: "The resource has been modified since it was read." });
    }
    let body: { accountLinkingRequest?: Settings };
    try {
      body = JSON.parse(request.body);
    } catch {
      return send(res, 400, { message: "Request body is not JSON." });
    }
    if (typeof body.accountLinkingRequest !== "object" || body.accountLinkingRequest === null) {
      return send(res, 400, { message: "accountLinkingRequest is required." });
    }
    skill.settings = structuredClone(body.accountLinkingRequest); // the whole configuration, replaced
    skill.etag = newEtag();
    res.setHeader("ETag", skill.etag);
    res.writeHead(204).end();
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

function newEtag(): string {
  return `"${randomBytes(8).toString("hex")}"`;
}
