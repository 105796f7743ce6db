/** `platform report`'s usage text: its own module, so `platform help` prints it without loading the report. */
export const REPORT_USAGE = `usage: platform report [--format text|markdown] [--out <dir>] [--config <file>] [--date YYYY-MM-DD]

  Per environment: stacks, add-ons (delivery, pinned version, supported Kubernetes versions, identity and IAM role,
  namespace, dependencies) and warnings, computed from the config without synthesizing.

  --format text|markdown   what to print (default text)
  --out <dir>              also write <dir>/report.md and <dir>/graph.svg (the dependency graph)
  --config <file>          the platform config (default $PLATFORM_CONFIG, else the embedded example)
  --date YYYY-MM-DD        judge support dates and waiver expiry as of this day (default today)
`;
