// cdktf records a full stack trace (unlimited depth, formatted to strings) for every token it creates, only to
// quote it in some error messages: about a fifth of a 20-environment synth and 35 MB of strings, and under jest,
// which source-maps every frame, about a fifth of the whole test run. The AWS CDK has the same switch
// (CDK_DISABLE_STACK_TRACE). cdktf captures into a plain object, never an Error, so formatting stays normal for
// real errors and returns nothing for those captures. PLATFORM_APP_TOKEN_STACKS=1 keeps them.
//
// Used by the app runner (scripts/app.js) and by the synth tests' setup, so both run the same way.
"use strict";

function skipTokenCreationStacks() {
  if (process.env.PLATFORM_APP_TOKEN_STACKS === "1") return;
  const format = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, callSites) => {
    if (!(error instanceof Error)) return "";
    return format ? format(error, callSites) : `${error}${callSites.map((site) => `\n    at ${site}`).join("")}`;
  };
}

module.exports = { skipTokenCreationStacks };
