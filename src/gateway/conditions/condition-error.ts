// The error a condition that does not parse throws at deploy: what is wrong, and the exact place in the text.

export class ConditionError extends Error {
  /** 0-based index into `text` of the character the problem is at (`text.length` for "at the end"). */
  readonly position: number;
  /** The whole condition, as written. */
  readonly text: string;

  constructor(problem: string, position: number, text: string) {
    // An empty condition has nothing to point into.
    super(text.trim() === '' ? `${problem}: expected a comparison such as request.verb = "GET"` : `${problem} at position ${position} in: ${text}`);
    this.name = 'ConditionError';
    this.position = position;
    this.text = text;
  }

  /** The condition with a caret under the problem, for terminals: two lines. */
  get pointer(): string {
    return `${this.text}\n${' '.repeat(this.position)}^`;
  }
}
