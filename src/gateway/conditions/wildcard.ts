// A small wildcard engine for Matches and MatchesPath: patterns become an NFA, matched without backtracking.
//
// A backtracking matcher (or a RegExp with several `.*`) can take polynomial or worse time on a long path that
// almost matches; the path comes from the caller. Stepping a set of NFA states costs at most pattern × input,
// and the state buffers are made once per pattern, so a match allocates nothing. Conditions run synchronously
// and a match never re-enters itself, so sharing the buffers between calls is safe.

/** One element of a wildcard pattern. */
export type Piece =
  | { readonly kind: 'char'; readonly code: number }
  /** Any one character. */
  | { readonly kind: 'any' }
  /** Any one character but '/'. */
  | { readonly kind: 'segmentChar' }
  /** Zero or more repetitions of the body; the body must consume at least one character. */
  | { readonly kind: 'repeat'; readonly body: readonly Piece[] }
  | { readonly kind: 'optional'; readonly body: readonly Piece[] };

export type WildcardMatcher = (input: string) => boolean;

export const char = (code: number): Piece => ({ kind: 'char', code });
export const ANY: Piece = { kind: 'any' };
export const SEGMENT_CHAR: Piece = { kind: 'segmentChar' };
export const ANY_RUN: Piece = { kind: 'repeat', body: [ANY] };
export const SEGMENT_RUN: Piece = { kind: 'repeat', body: [SEGMENT_CHAR] };

const CHAR = 0;
const ANY_CHAR = 1;
const NOT_SLASH = 2;
const SPLIT = 3;
const ACCEPT = 4;
const SLASH = 0x2f;

/** The whole input must match the pattern. */
export function compileWildcard(pieces: readonly Piece[]): WildcardMatcher {
  let prefixLength = 0;
  while (prefixLength < pieces.length && pieces[prefixLength]!.kind === 'char') prefixLength++;
  const prefix = String.fromCharCode(...pieces.slice(0, prefixLength).map((piece) => (piece as { code: number }).code));
  if (prefixLength === pieces.length) {
    return function matchExactly(input) {
      return input === prefix;
    };
  }
  // The literal start of the pattern is checked with startsWith, which also rejects most inputs cheaply.
  const nfa = new NfaBuilder();
  const start = nfa.sequence(pieces.slice(prefixLength), nfa.add(ACCEPT, 0, -1, -1));
  const kinds = Uint8Array.from(nfa.kinds);
  const codes = Int32Array.from(nfa.codes);
  const outs = Int32Array.from(nfa.outs);
  const alts = Int32Array.from(nfa.alts);
  const size = kinds.length;
  const listA = new Int32Array(size);
  const listB = new Int32Array(size);
  // Each unvisited split pushes two states: at most 2 × size + 1 pushes between visits.
  const stack = new Int32Array(2 * size + 1);
  const visited = new Uint32Array(size);
  let generation = 0;

  function nextGeneration(): void {
    generation = (generation + 1) >>> 0;
    if (generation === 0) {
      visited.fill(0);
      generation = 1;
    }
  }

  /** Adds a state and everything reachable from it without input; returns the new list length. */
  function addState(list: Int32Array, length: number, state: number): number {
    let top = 0;
    stack[top++] = state;
    while (top > 0) {
      const s = stack[--top]!;
      if (visited[s] === generation) continue;
      visited[s] = generation;
      if (kinds[s] === SPLIT) {
        stack[top++] = alts[s]!;
        stack[top++] = outs[s]!;
      } else {
        list[length++] = s;
      }
    }
    return length;
  }

  return function matchWildcard(input) {
    if (!input.startsWith(prefix)) return false;
    let current = listA;
    let following = listB;
    nextGeneration();
    let length = addState(current, 0, start);
    for (let i = prefixLength; i < input.length && length > 0; i++) {
      const code = input.charCodeAt(i);
      nextGeneration();
      let nextLength = 0;
      for (let k = 0; k < length; k++) {
        const s = current[k]!;
        const kind = kinds[s];
        if (kind === ANY_CHAR || (kind === CHAR && codes[s] === code) || (kind === NOT_SLASH && code !== SLASH)) {
          nextLength = addState(following, nextLength, outs[s]!);
        }
      }
      const swap = current;
      current = following;
      following = swap;
      length = nextLength;
    }
    for (let k = 0; k < length; k++) if (kinds[current[k]!] === ACCEPT) return true;
    return false;
  };
}

/** Thompson's construction, built back to front so each state knows its successor when it is made. */
class NfaBuilder {
  readonly kinds: number[] = [];
  readonly codes: number[] = [];
  readonly outs: number[] = [];
  readonly alts: number[] = [];

  add(kind: number, code: number, out: number, alt: number): number {
    this.kinds.push(kind);
    this.codes.push(code);
    this.outs.push(out);
    this.alts.push(alt);
    return this.kinds.length - 1;
  }

  /** Returns the first state of `pieces`, which continue to `next`. */
  sequence(pieces: readonly Piece[], next: number): number {
    for (let i = pieces.length - 1; i >= 0; i--) next = this.piece(pieces[i]!, next);
    return next;
  }

  piece(piece: Piece, next: number): number {
    switch (piece.kind) {
      case 'char':
        return this.add(CHAR, piece.code, next, -1);
      case 'any':
        return this.add(ANY_CHAR, 0, next, -1);
      case 'segmentChar':
        return this.add(NOT_SLASH, 0, next, -1);
      case 'optional':
        return this.add(SPLIT, 0, this.sequence(piece.body, next), next);
      case 'repeat': {
        const loop = this.add(SPLIT, 0, -1, next);
        this.outs[loop] = this.sequence(piece.body, loop);
        return loop;
      }
    }
  }
}
