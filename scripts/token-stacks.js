// cdktf records a full stack trace (unlimited depth, formatted to strings) for every token it creates, only to
// quote it in some error messages: about a fifth of a 20-environment synth and 35 MB of strings, and under jest,
// which source-maps every frame, about a fifth of the whole test run. The AWS CDK has the same switch
// (CDK_DISABLE_STACK_TRACE). cdktf's tokens, lazies and dynamic blocks all call one function,
// cdktf/lib/tokens/private/stack-trace.js's captureStackTrace, through its exports object at each call: replacing
// that export with one that records nothing skips the walk of the stack as well as the formatting (formatting
// alone was switched off before, through Error.prepareStackTrace: V8 still walked every frame of every capture).
// Real errors keep their stacks. PLATFORM_APP_TOKEN_STACKS=1 keeps the captures.
//
// Used by the app runner (scripts/app.js) and by the synth and process tests' setup, so both run the same way.
"use strict";

function skipTokenCreationStacks() {
  if (process.env.PLATFORM_APP_TOKEN_STACKS === "1") return;
  const stackTrace = require("cdktf/lib/tokens/private/stack-trace");
  if (typeof stackTrace.captureStackTrace !== "function")
    throw new Error(
      "scripts/token-stacks.js: cdktf/lib/tokens/private/stack-trace.js no longer exports captureStackTrace; find where this cdktf version captures token stacks and switch that off instead",
    );
  stackTrace.captureStackTrace = () => [];
}

module.exports = { skipTokenCreationStacks };
