// JavaRegex (`~~`): Java's Matcher.matches() — the whole value must match — on a RegExp built once per condition.
//
// Apigee conditions reference: JavaRegex "matches a javax.util.regex compliant regular expression", and the
// expression must match the entire value (`"cat"` does not match `/cat`).
// https://cloud.google.com/apigee/docs/api-platform/fundamentals/pattern-matching-conditional-statements
// JavaScript's syntax covers what conditions use; Java's leading inline flags (`(?i)`, `(?s)`, `(?m)`, as in
// `(?i)/v1/.*`) become RegExp flags. Java-only syntax (possessive `*+`, `\A`) is not translated.

const LEADING_FLAGS = /^\(\?([A-Za-z]+)\)/;
const SUPPORTED_FLAGS = 'ims';

/** Throws SyntaxError, its message without JavaScript's `/pattern/` preamble, when the pattern does not compile. */
export function compileJavaRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const leading = LEADING_FLAGS.exec(pattern);
  if (leading) {
    for (const flag of leading[1]!) {
      if (!SUPPORTED_FLAGS.includes(flag)) throw new SyntaxError(`unsupported inline flag '${flag}' (supported: i, m, s)`);
      if (!flags.includes(flag)) flags += flag;
    }
    source = pattern.slice(leading[0].length);
  }
  try {
    // Checked bare first: wrapping can turn an invalid pattern into a valid one (`)(` into `^(?:)()$`).
    new RegExp(source, flags);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SyntaxError(message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''));
  }
  return new RegExp(`^(?:${source})$`, flags);
}
