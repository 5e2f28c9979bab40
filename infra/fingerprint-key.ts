import { DataResource } from "cdktf";
import { Construct } from "constructs";

/**
 * The key of this deployment's fingerprints (functions/token-url/fingerprint.ts), made once per
 * stack by Terraform itself and then kept: `uuid()` changes on every plan, so, like the expiry
 * clock, it lives in a terraform_data whose input is ignored after the first apply. It reaches
 * the Lambda's environment and the Terraform state (which already hold the token URL), never
 * a log: someone who can read the records but not the function cannot test guesses against a
 * fingerprint. Destroying the stack forgets it; the next deploy's fingerprints differ.
 */
export class FingerprintKey extends Construct {
  /** 64 hex digits (SHA-256 of two random UUIDs: 244 random bits). */
  readonly value: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = new DataResource(this, "key", { lifecycle: { ignoreChanges: ["input"] } });
    key.overrideLogicalId("fingerprint_key");
    // sensitive(): plans and the Lambda's environment show it as "(sensitive value)". Terraform
    // still prints terraform_data's output in clear when it destroys it, which the stack
    // commands redact (scripts/deploy/key-redaction.ts).
    key.addOverride("input", "${sensitive(sha256(\"${uuid()}${uuid()}\"))}");
    this.value = key.getStringAttribute("output");
  }
}
