// A jest reporter for `npm test`'s summary: each failed test (its file, its name and the first lines of why) is
// appended to $PARLEY_FAILURES_FILE, so a long run's end says what failed without scrolling back through it.
const { appendFileSync } = require('node:fs');
const { relative } = require('node:path');

const ANSI = /\u001b\[[0-9;]*m/g;
const LINES = 8;

/** The first lines of a failure, without colours or the stack. */
function why(message) {
  const lines = message.replace(ANSI, '').split('\n');
  const stack = lines.findIndex((line) => /^\s+at /.test(line));
  return lines
    .slice(0, stack === -1 ? undefined : stack)
    .filter((line) => line.trim())
    .slice(0, LINES)
    .map((line) => `      ${line.trimEnd()}`)
    .join('\n');
}

class FailureSummaryReporter {
  onTestResult(_test, result) {
    const file = process.env.PARLEY_FAILURES_FILE;
    if (!file) return;
    const where = relative(process.cwd(), result.testFilePath);
    const out = [];
    if (result.testExecError)
      out.push(`  ${where}: the file did not run\n${why(String(result.testExecError.message))}`);
    for (const t of result.testResults) {
      if (t.status === 'failed') out.push(`  ${where} › ${t.fullName}\n${why(t.failureMessages.join('\n'))}`);
    }
    if (!out.length) return;
    appendFileSync(file, out.join('\n') + '\n');
    appendFileSync(`${file}.files`, result.testFilePath + '\n'); // what npm test runs again once
  }
}

module.exports = FailureSummaryReporter;
