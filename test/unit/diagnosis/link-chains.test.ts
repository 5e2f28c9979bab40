import { AttemptRecord } from "../../../functions/token-url/attempt-record";
import { buildLinkChains } from "../../../functions/token-url/diagnosis/link-chains";
import { fingerprint } from "../../../functions/token-url/fingerprint";
import { sampleAttemptRecord, sampleUpstream } from "../../support/lambda-log-events";

const T0 = Date.parse("2026-12-01T10:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const NOW = new Date(T0 + 60 * 60_000);

/** A proxy-mode record of one grant, as the handler writes it; tokens by name ("R1"). */
function attempt(options: {
  id: string;
  minute: number;
  grant: "authorization_code" | "refresh_token";
  presented?: string;
  issued?: string | null;
  status?: number;
  expiresIn?: number;
  errorBody?: string;
  /** Minutes after T0 at which the issued refresh token dies, as the answer said. */
  refreshDiesAt?: number;
}): AttemptRecord {
  const status = options.status ?? 200;
  const ok = status === 200;
  const fields: Record<string, string> = { grant_type: options.grant };
  if (options.presented) fields.refresh_token = fingerprint(options.presented);
  return sampleAttemptRecord({
    attemptId: options.id,
    time: at(options.minute),
    mode: "proxy",
    verdict: ok ? "pass" : "fail",
    request: { ...sampleAttemptRecord().request, grantType: options.grant, fields },
    upstream: { ...sampleUpstream(), status, body: ok ? "{}" : (options.errorBody ?? '{"error":"invalid_grant","error_description":"Invalid refresh token"}') },
    response: { status, contentType: "application/json" },
    lineage: {
      refreshTokenPresented: options.presented ? fingerprint(options.presented) : null,
      refreshTokenIssued: ok && options.issued ? fingerprint(options.issued) : null,
      accessTokenIssued: ok ? fingerprint(`access-${options.id}`) : null,
      expiresIn: ok ? (options.expiresIn ?? 120) : null,
      ...(ok && options.refreshDiesAt !== undefined && { refreshTokenExpiresAt: at(options.refreshDiesAt) }),
    },
    findings: ok ? [] : [{ code: "OAUTH_INVALID_GRANT", severity: "error", message: "invalid_grant", fix: "link again" }],
  });
}

const codes = (findings: { code: string }[]) => findings.map((finding) => finding.code);

const AUTH0 = { server: { product: "auth0" as const, name: "Auth0", score: 3, evidence: ["x-auth0-requestid header"] }, front: null };

describe("buildLinkChains", () => {
  test("GIVEN a code exchange, a rotating refresh and a reuse of the first refresh token THEN one chain broken at step 3 by REFRESH_TOKEN_REUSED", () => {
    const chains = buildLinkChains(
      [
        attempt({ id: "c", minute: 0, grant: "authorization_code", issued: "R1" }),
        attempt({ id: "r1", minute: 3, grant: "refresh_token", presented: "R1", issued: "R2" }),
        attempt({ id: "r2", minute: 6, grant: "refresh_token", presented: "R1", status: 400 }),
      ],
      NOW,
    );
    expect(chains).toHaveLength(1);
    expect(chains[0].steps.map((step) => step.attemptId)).toEqual(["c", "r1", "r2"]);
    expect(chains[0].origin).toBe("code");
    expect(chains[0].state).toEqual({ kind: "broken", step: 3, reason: "REFRESH_TOKEN_REUSED" });
    expect(codes(chains[0].findings)).toEqual(["REFRESH_TOKEN_REUSED"]);
    expect(chains[0].findings[0].message).toContain("invalid_grant: Invalid refresh token");
  });

  test("GIVEN records in any order THEN steps are ordered by time", () => {
    const chains = buildLinkChains(
      [
        attempt({ id: "r1", minute: 3, grant: "refresh_token", presented: "R1", issued: "R2" }),
        attempt({ id: "c", minute: 0, grant: "authorization_code", issued: "R1" }),
      ],
      new Date(T0 + 4 * 60_000),
    );
    expect(chains.map((chain) => chain.steps.map((step) => step.attemptId))).toEqual([["c", "r1"]]);
    expect(chains[0].state).toEqual({ kind: "healthy" });
  });

  test("GIVEN a refresh presenting a token no attempt issued THEN it starts its own chain from earlier", () => {
    const chains = buildLinkChains([attempt({ id: "orphan", minute: 1, grant: "refresh_token", presented: "OLD", issued: "R9", expiresIn: 3600 })], NOW);
    expect(chains).toHaveLength(1);
    expect(chains[0].origin).toBe("earlier");
    expect(chains[0].state.kind).toBe("healthy");
  });

  test("GIVEN two users linking at once, interleaved THEN two chains, newest first, each in order", () => {
    const chains = buildLinkChains(
      [
        attempt({ id: "a-code", minute: 0, grant: "authorization_code", issued: "A1" }),
        attempt({ id: "b-code", minute: 1, grant: "authorization_code", issued: "B1" }),
        attempt({ id: "a-r1", minute: 3, grant: "refresh_token", presented: "A1", issued: "A2" }),
        attempt({ id: "b-r1", minute: 4, grant: "refresh_token", presented: "B1", issued: "B2" }),
        attempt({ id: "a-r2", minute: 6, grant: "refresh_token", presented: "A2", issued: "A3", expiresIn: 3600 }),
      ],
      new Date(T0 + 10 * 60_000),
    );
    expect(chains.map((chain) => chain.steps.map((step) => step.attemptId))).toEqual([
      ["a-code", "a-r1", "a-r2"],
      ["b-code", "b-r1"],
    ]);
    expect(chains[0].state).toEqual({ kind: "healthy" });
    // B's access token (120 s from minute 4) expired at minute 6 and no refresh followed.
    expect(chains[1].state).toEqual({ kind: "waiting", expiredAt: at(6) });
    expect(codes(chains[1].findings)).toEqual(["REFRESH_OVERDUE"]);
  });

  test("GIVEN a refresh refused at step 3 after two good ones THEN broken at step 3 by REFRESH_TOKEN_REJECTED quoting the server", () => {
    const chains = buildLinkChains(
      [
        attempt({ id: "c", minute: 0, grant: "authorization_code", issued: "R1" }),
        attempt({ id: "r1", minute: 3, grant: "refresh_token", presented: "R1", issued: "R2" }),
        attempt({
          id: "r2",
          minute: 6,
          grant: "refresh_token",
          presented: "R2",
          status: 400,
          errorBody: '{"error":"invalid_grant","error_description":"Session not active"}',
        }),
      ],
      NOW,
    );
    expect(chains[0].state).toEqual({ kind: "broken", step: 3, reason: "REFRESH_TOKEN_REJECTED" });
    expect(chains[0].findings[0].message).toContain("invalid_grant: Session not active");
    expect(chains[0].findings[0].message).toContain("offline_access");
  });

  test("GIVEN a failed step followed by a successful retry THEN the chain has recovered", () => {
    const chains = buildLinkChains(
      [
        attempt({ id: "c", minute: 0, grant: "authorization_code", issued: "R1" }),
        attempt({ id: "r1", minute: 3, grant: "refresh_token", presented: "R1", status: 503, errorBody: "down" }),
        attempt({ id: "r2", minute: 4, grant: "refresh_token", presented: "R1", issued: "R2", expiresIn: 3600 }),
      ],
      NOW,
    );
    expect(chains).toHaveLength(1);
    expect(chains[0].state).toEqual({ kind: "healthy" });
    expect(codes(chains[0].findings)).toEqual([]);
  });

  test("GIVEN a code exchange that failed THEN the chain is broken at step 1 by the attempt's own error", () => {
    const chains = buildLinkChains([attempt({ id: "c", minute: 0, grant: "authorization_code", status: 400 })], NOW);
    expect(chains[0].state).toEqual({ kind: "broken", step: 1, reason: "OAUTH_INVALID_GRANT" });
  });

  test("GIVEN a non-rotating server THEN the same refresh token is presented again and again without a reuse finding", () => {
    const chains = buildLinkChains(
      [
        attempt({ id: "c", minute: 0, grant: "authorization_code", issued: "R1" }),
        attempt({ id: "r1", minute: 3, grant: "refresh_token", presented: "R1", issued: null }),
        attempt({ id: "r2", minute: 6, grant: "refresh_token", presented: "R1", issued: "R1", expiresIn: 3600 }),
      ],
      NOW,
    );
    expect(chains).toHaveLength(1);
    expect(chains[0].steps).toHaveLength(3);
    expect(chains[0].state).toEqual({ kind: "healthy" });
    expect(codes(chains[0].findings)).toEqual(["REFRESH_WITHOUT_NEW_REFRESH_TOKEN"]);
  });

  test("GIVEN a server that accepts a redeemed token again THEN REFRESH_TOKEN_REUSED as a warning and the chain stays healthy", () => {
    const chains = buildLinkChains(
      [
        attempt({ id: "c", minute: 0, grant: "authorization_code", issued: "R1" }),
        attempt({ id: "r1", minute: 3, grant: "refresh_token", presented: "R1", issued: "R2" }),
        attempt({ id: "r2", minute: 6, grant: "refresh_token", presented: "R1", issued: "R3", expiresIn: 3600 }),
      ],
      NOW,
    );
    expect(chains[0].state).toEqual({ kind: "healthy" });
    expect(chains[0].findings.map((finding) => [finding.code, finding.severity])).toEqual([["REFRESH_TOKEN_REUSED", "warning"]]);
  });

  test("GIVEN records from before lineage was recorded THEN chains are built without crashing, refreshes linked by their redacted field", () => {
    const old = (id: string, minute: number, grant: string, refreshToken?: string): AttemptRecord => {
      const record = sampleAttemptRecord({ attemptId: id, time: at(minute) });
      return {
        ...record,
        request: { ...record.request, grantType: grant, fields: refreshToken ? { grant_type: grant, refresh_token: fingerprint(refreshToken) } : { grant_type: grant } },
      };
    };
    const chains = buildLinkChains(
      [old("c", 0, "authorization_code"), old("r1", 3, "refresh_token", "R1"), old("r2", 6, "refresh_token", "R1"), old("x", 7, "password")],
      NOW,
    );
    expect(chains.map((chain) => chain.steps.map((step) => step.attemptId))).toEqual([["x"], ["r1", "r2"], ["c"]]);
    expect(chains.every((chain) => chain.state.kind === "healthy")).toBe(true);
    // A record with no request fields at all (malformed, or hand-written) must not crash either.
    const bare = { ...sampleAttemptRecord(), request: { ...sampleAttemptRecord().request, grantType: null, fields: undefined } } as unknown as AttemptRecord;
    expect(buildLinkChains([bare], NOW)).toHaveLength(1);
  });

  test("GIVEN no records THEN no chains", () => {
    expect(buildLinkChains([], NOW)).toEqual([]);
  });

  test("GIVEN answers that said when their refresh token dies THEN the chain carries the latest issued one's time; past it with no refresh, the chain has lapsed", () => {
    const records = [
      attempt({ id: "c", minute: 0, grant: "authorization_code", issued: "R1", expiresIn: 3600, refreshDiesAt: 30 }),
      attempt({ id: "r1", minute: 20, grant: "refresh_token", presented: "R1", issued: "R2", expiresIn: 3600, refreshDiesAt: 50 }),
      // A refresh answered without a new refresh token leaves R2, and its death, in place.
      attempt({ id: "r2", minute: 25, grant: "refresh_token", presented: "R2", issued: null, expiresIn: 3600 }),
    ];
    expect(buildLinkChains(records, new Date(T0 + 40 * 60_000))[0].state).toEqual({ kind: "healthy", refreshTokenExpiresAt: at(50) });
    expect(buildLinkChains(records, new Date(T0 + 51 * 60_000))[0].state).toEqual({ kind: "lapsed", refreshTokenExpiredAt: at(50) });
  });

  test("GIVEN an expired access token and a refresh token still alive THEN waiting, with the time the link breaks", () => {
    const chains = buildLinkChains([attempt({ id: "c", minute: 0, grant: "authorization_code", issued: "R1", expiresIn: 300, refreshDiesAt: 90 })], NOW);
    expect(chains[0].state).toEqual({ kind: "waiting", expiredAt: at(5), refreshTokenExpiresAt: at(90) });
  });

  test("GIVEN the records named Auth0 THEN REFRESH_TOKEN_REUSED's fix names Auth0's own rotation setting", () => {
    const chains = buildLinkChains(
      [
        { ...attempt({ id: "c", minute: 0, grant: "authorization_code", issued: "R1" }), server: AUTH0 },
        { ...attempt({ id: "r1", minute: 3, grant: "refresh_token", presented: "R1", issued: "R2" }), server: AUTH0 },
        { ...attempt({ id: "r2", minute: 6, grant: "refresh_token", presented: "R1", status: 400 }), server: AUTH0 },
      ],
      NOW,
    );
    expect(codes(chains[0].findings)).toEqual(["REFRESH_TOKEN_REUSED"]);
    expect(chains[0].findings[0].fix).toContain('Auth0 ("Configure Refresh Token Rotation"): set "Rotation Overlap Period"');
  });
});
