import { DataResource, Fn } from "cdktf";
import { Construct } from "constructs";

export interface DebuggerExpiryProps {
  /** Hours from the first deploy (or the last `--extend`); 0: the debugger never expires. */
  readonly ttlHours: number;
}

import { EXPIRY_CLOCK_ADDRESS } from "./expiry-clock-address";

export { EXPIRY_CLOCK_ADDRESS };

/**
 * When the debugger stops forwarding: an absolute time, stamped once. `timestamp()` changes on
 * every plan, so it lives in a terraform_data whose input is then ignored: the first apply
 * records the time and every later plan keeps it (a plan stays empty). Changing the TTL moves
 * the expiry from that same start; replacing the clock (`--extend`) restarts it from now.
 */
export class DebuggerExpiry extends Construct {
  /** ISO 8601 (RFC 3339, UTC), known after the first apply; undefined when it never expires. */
  readonly expiresAt?: string;
  /** When the clock started: the first deploy, or the last `--extend`. */
  readonly startedAt?: string;

  constructor(scope: Construct, id: string, props: DebuggerExpiryProps) {
    super(scope, id);
    if (props.ttlHours === 0) return;
    const clock = new DataResource(this, "clock", { lifecycle: { ignoreChanges: ["input"] } });
    clock.overrideLogicalId(EXPIRY_CLOCK_ADDRESS.split(".")[1]);
    clock.addOverride("input", "${timestamp()}");
    this.startedAt = clock.getStringAttribute("output");
    this.expiresAt = Fn.timeadd(this.startedAt, `${props.ttlHours}h`);
  }
}
