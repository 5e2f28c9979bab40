import { FunctionSettings } from "./settings";
import { lookupServerMetadata, MetadataLookup } from "./upstream/server-metadata";

/** One lookup per token URL per warm container: the metadata does not change between Alexa's
 * requests, and each lookup costs up to a few GETs. */
const lookups = new Map<string, { settled?: MetadataLookup }>();

/**
 * Wrapper mode: starts the server-metadata lookup (once per warm container) beside the forward,
 * and never waits for it: Alexa's 4.5 s budget is not the debugger's to spend. `settled()`
 * gives the lookup when it has finished by the time the forward has (usually from the second
 * request on; the first record may lack it), else undefined. A frozen container resumes an
 * unfinished lookup at its next invocation.
 */
export function serverMetadataFor(tokenUrl: string, settings: FunctionSettings): { settled(): MetadataLookup | undefined } {
  let entry = lookups.get(tokenUrl);
  if (!entry) {
    const created: { settled?: MetadataLookup } = {};
    lookups.set(tokenUrl, created);
    void lookupServerMetadata(tokenUrl, { trustedCa: settings.trustedCa }).then((lookup) => (created.settled = lookup));
    entry = created;
  }
  const found = entry;
  return { settled: () => found.settled };
}
