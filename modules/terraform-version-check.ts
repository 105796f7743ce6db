import { ValidateBinaryVersion } from "cdktf/lib/validations/validate-binary-version";

/**
 * cdktf checks the Terraform CLI's version at synth for every construct that needs a newer one: each stack with a
 * `cloud` backend, each `terraform_data`, each import or move. Every check runs `terraform version` in a child
 * process (about 0.1 s, and a checkpoint call to HashiCorp unless CHECKPOINT_DISABLE is set): 800 times for 200
 * environments on Terraform Cloud. The answer does not change while the command and PATH stay the same, so the
 * first check's answer is kept per command, constraint and PATH; each construct is still checked, and a too-old
 * Terraform still fails every one.
 */

interface BinaryVersionCheck {
  readonly versionCommand: string;
  readonly versionConstraint: string;
  readonly hint?: string;
}

const answers = new Map<string, string[]>();
const check = ValidateBinaryVersion.prototype.validate;
let installed = false;

/** Installs the per-process memo (idempotent). */
export function rememberTerraformVersionChecks(): void {
  if (installed) return;
  installed = true;
  ValidateBinaryVersion.prototype.validate = function (this: ValidateBinaryVersion): string[] {
    const { versionCommand, versionConstraint, hint } = this as unknown as BinaryVersionCheck;
    const key = [versionCommand, versionConstraint, hint ?? "", process.env.PATH ?? ""].join("\0");
    let answer = answers.get(key);
    if (!answer) {
      answer = check.call(this);
      answers.set(key, answer);
    }
    return [...answer];
  };
}
