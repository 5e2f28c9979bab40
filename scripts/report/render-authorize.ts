/**
 * The terminal report of `probe --authorize-url` without a token URL: the authorize-check
 * record through the same report model as an attempt (buildAuthorizeCheckReport), so the
 * Authorization URI section reads the same here, beside a token URL and in the HTML page.
 */
import type { AuthorizeCheckRecord } from "../probe/authorize-probe";
import { renderAttemptReport, RenderAttemptOptions } from "./render-attempt";
import { buildAuthorizeCheckReport } from "./report-model";

export function renderAuthorizeCheck(record: AuthorizeCheckRecord, options: RenderAttemptOptions): string {
  return renderAttemptReport(buildAuthorizeCheckReport(record), options);
}
