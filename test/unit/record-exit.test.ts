/**
 * sealRecord bounds a record to one CloudWatch event and says what it cut; sealing again (the
 * probe adds secrets, `logs` re-seals what it reads back) must not cut again or lose the sizes
 * of the whole values.
 */
import { AttemptRecord, attemptRecord, UpstreamSummary } from "../../functions/token-url/attempt-record";
import { fingerprint } from "../../functions/token-url/fingerprint";
import { CutValue, MAX_RECORD_BYTES, safeJson, sealRecord } from "../../functions/token-url/record-exit";
import { SHAPE_SCRUBBER, Scrubber } from "../../functions/token-url/scrubber";

const SECRET = "CANARY-seal-secret-Hy83";

function aRecord(body: string, extra: object = {}) {
  return {
    type: "token-attempt",
    version: 1,
    attemptId: "a1",
    time: "2026-12-07T10:00:00.000Z",
    mode: "proxy",
    verdict: "fail",
    request: { fields: { grant_type: "authorization_code", note: "n".repeat(20_000) }, headers: {} },
    upstream: { url: "https://auth.example.com/token", status: 200, headers: {}, body, bodyBytes: body.length, bodyCapped: false },
    findings: [],
    ...extra,
  };
}

const scrubber = new Scrubber([SECRET]);

describe("sealRecord", () => {
  test("GIVEN a 1 MiB body and a 20 KB field THEN both are cut, listed with the whole's size and fingerprint, and the line fits", () => {
    const body = `${SECRET} ${"b".repeat(1024 * 1024)}`;
    const sealed = sealRecord(aRecord(body), scrubber);
    const line = safeJson(sealed);
    expect(Buffer.byteLength(line)).toBeLessThan(MAX_RECORD_BYTES);
    expect(line).not.toContain(SECRET);
    expect(sealed.cut).toEqual([
      { path: "request.fields.note", size: 20_000, unit: "characters", fingerprint: fingerprint("n".repeat(20_000)) },
      { path: "upstream.body", size: body.length, unit: "characters", fingerprint: fingerprint(body) },
    ]);
    expect(sealed.upstream.body).toMatch(/…\[clipped: 1048600 characters in all\]$/);
  });

  test("GIVEN a sealed record sealed again (with more secrets, or read back) THEN nothing more is cut and the cut list is the same", () => {
    const sealed = sealRecord(aRecord(`x${"b".repeat(100_000)}`), scrubber);
    for (const again of [sealRecord(sealed, scrubber.with(["another-secret-1"])), sealRecord(JSON.parse(safeJson(sealed)), SHAPE_SCRUBBER)]) {
      expect(again.cut).toEqual(sealed.cut);
      expect(again.upstream.body).toBe(sealed.upstream.body);
      expect(again.request.fields.note).toBe(sealed.request.fields.note);
    }
  });

  test("GIVEN a body the capture cut THEN its entry stays beside the record's own cut of the same body", () => {
    const capture: CutValue = { path: "upstream.body", size: 1_048_576, unit: "bytes", by: "capture", receivedBytes: 1_020, encoding: "gzip" };
    const sealed = sealRecord(aRecord("{".repeat(1_048_576), { cut: [capture] }), scrubber);
    expect(sealed.cut).toEqual([
      capture,
      expect.objectContaining({ path: "request.fields.note" }),
      expect.objectContaining({ path: "upstream.body", unit: "characters", size: 1_048_576 }),
    ]);
    expect(sealRecord(sealed, scrubber).cut).toEqual(sealed.cut);
  });

  test("GIVEN a record read back with a forged cut list THEN only the known fields are kept, scrubbed", () => {
    const forged = [
      { path: `upstream.${SECRET}`, size: 3, unit: "bytes", by: "capture", encoding: SECRET, extra: SECRET },
      { path: "x", size: 1, unit: "weird", fingerprint: 42 },
      "not an entry",
      { size: 1 },
    ];
    const sealed = sealRecord(aRecord("ok", { cut: forged }), scrubber);
    expect(safeJson(sealed)).not.toContain(SECRET);
    expect(sealed.cut).toEqual([
      { path: `upstream.${fingerprint(SECRET)}`, size: 3, unit: "bytes", by: "capture", receivedBytes: 3, encoding: fingerprint(SECRET) },
      { path: "x", size: 1, unit: "characters" },
      expect.objectContaining({ path: "request.fields.note" }),
    ]);
  });

  test.each(["upstream", "schemeRetry", "rotationCheck"])(
    "GIVEN a %s body of 12,000 characters and one of 20,000 THEN the first is kept whole (16 KB preview, not 8 KB) and the second cut at 16 KB",
    (section) => {
      const path = section === "upstream" ? "upstream.body" : `${section}.upstream.body`;
      const withBody = (body: string) =>
        section === "upstream" ? aRecord(body) : aRecord("ok", { [section]: { request: {}, upstream: aRecord(body).upstream, response: { status: 400 } } });
      const at = (record: Record<string, unknown>) => (section === "upstream" ? record : (record[section] as Record<string, unknown>)).upstream as { body: string };
      const kept = sealRecord(withBody("k".repeat(12_000)), scrubber);
      expect(at(kept).body).toBe("k".repeat(12_000));
      expect(kept.cut?.map((cut) => cut.path)).toEqual(["request.fields.note"]);
      const long = "l".repeat(20_000);
      const cut = sealRecord(withBody(long), scrubber);
      expect(at(cut).body).toBe(`${"l".repeat(16 * 1024)}…[clipped: 20000 characters in all]`);
      expect(cut.cut).toContainEqual({ path, size: 20_000, unit: "characters", fingerprint: fingerprint(long) });
    },
  );
});

describe("attemptRecord", () => {
  const upstream = (bodyCapped: boolean): UpstreamSummary => ({
    url: "https://auth.example.com/token",
    status: 400,
    headers: {},
    body: "{}",
    bodyBytes: bodyCapped ? 1_048_576 : 2,
    bodyCapped,
    receivedBytes: bodyCapped ? 2_000 : 2,
    bodyEncoding: bodyCapped ? "gzip" : null,
    timings: { dnsMs: null, connectMs: 1, tlsMs: 1, ttfbMs: 1, totalMs: 3 },
    tls: null,
    error: null,
  });
  const request: AttemptRecord["request"] = { clientAuth: "basic", grantType: "refresh_token", contentType: null, sourceIp: null, fields: {}, duplicateFields: [], headers: {} };
  const response = { status: 400, contentType: "application/json" };

  test("GIVEN a rotation check whose body the capture stopped reading THEN the record lists that cut beside the first request's", () => {
    const record = attemptRecord(
      {
        attemptId: "a1",
        time: "2026-12-07T10:00:00.000Z",
        mode: "probe",
        request,
        upstream: upstream(false),
        response,
        rotationCheck: { request, upstream: upstream(true), response },
        findings: [],
      },
      scrubber,
    );
    expect(record.cut).toEqual([
      { path: "rotationCheck.upstream.body", size: 1_048_576, unit: "bytes", by: "capture", receivedBytes: 2_000, encoding: "gzip" },
    ]);
  });
});
