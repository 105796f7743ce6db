// Prints the plain closing line CI reads ("N passed, N failed"), as the very last line of the run: written when
// the jest process exits, after jest's own summary (which its reporters print later than onRunComplete returns).
"use strict";
const { writeSync } = require("node:fs");

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`;
    process.once("exit", () => writeSync(1, line));
  }
}
module.exports = SummaryReporter;
