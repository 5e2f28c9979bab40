import { DeployOptions } from "./deploy-options";

/**
 * Who approves a deploy or destroy before anything changes:
 * - `auto`: the user said so (--auto-approve);
 * - `terminal`: Terraform asks on the terminal, as `terraform apply` does, and only "yes" goes on;
 * - `refused`: no terminal to ask on. CI=true does not count as approval: every CI service and
 *   many dev containers set it, and a deploy or destroy should not start by a variable nobody
 *   typed; Terraform itself refuses the same way without -auto-approve.
 * - `none`: diff (a plan) changes nothing.
 */
export type Approval =
  | { readonly kind: "auto" | "terminal" | "none" }
  | { readonly kind: "refused"; readonly line: string };

export function decideApproval(options: Pick<DeployOptions, "command" | "autoApprove">, stdinIsTerminal: boolean): Approval {
  if (options.command !== "deploy" && options.command !== "destroy") return { kind: "none" };
  if (options.autoApprove) return { kind: "auto" };
  if (stdinIsTerminal) return { kind: "terminal" };
  const review = options.command === "deploy" ? "review the plan with npm run diff, then " : "";
  return {
    kind: "refused",
    line: `npm run ${options.command} asks before it changes anything, and there is no terminal to ask on: ${review}run npm run ${options.command} -- --auto-approve; nothing was changed`,
  };
}
