// MatchesPath / LikePath (`~/`): a path against a pattern of segments, where `*` is one segment and `**` any number.
//
// Apigee, "Pattern matching in conditional statements" (MatchesPath) and the conditions reference: `/*/a/*`
// matches `/x/a/b`; `/a/**/feed/**` matches `/a/b/feed/rss/1234`; `%` escapes the next character, so `%*` is a
// literal star. https://cloud.google.com/apigee/docs/api-platform/fundamentals/pattern-matching-conditional-statements
//
// Where the documentation is silent, Gatehouse decides:
// - `*` as a whole segment is exactly one segment, and not an empty one: `/a/*` does not match `/a/`.
// - `**` as a whole segment is any number of segments, zero included: `/a/**` matches `/a`, `/a/` and `/a/b/c`;
//   `/a/**/b` matches `/a/b`. A leading `**/x` matches `x`, `/x` and `p/q/x`.
// - Inside a segment, `*` is any run of characters but '/', and `**` is any run including '/': SAP's generated
//   `/hello(**` matches `/hello('1')` and `/hello('1')/items`.
// - The trailing slash counts (as in Apigee, where `/a` does not match `/a/`); the match is case-sensitive.
import { ANY_RUN, SEGMENT_CHAR, SEGMENT_RUN, char, compileWildcard, type Piece, type WildcardMatcher } from './wildcard.ts';

type Item = number | 'star' | 'globstar';

const SLASH: Piece = char(0x2f);

export function compilePathPattern(pattern: string): WildcardMatcher {
  const segments = parseSegments(pattern);
  const pieces: Piece[] = [];
  let separatorTaken = false;
  for (const [index, segment] of segments.entries()) {
    const only = segment.length === 1 ? segment[0] : undefined;
    if (only === 'globstar') {
      if (index > 0) {
        // The '/' before `**` goes with it, so that zero segments leave one slash, not two.
        pieces.push({ kind: 'optional', body: [SLASH, ANY_RUN] });
      } else if (segments.length === 1) {
        pieces.push(ANY_RUN);
      } else {
        pieces.push({ kind: 'optional', body: [ANY_RUN, SLASH] });
        separatorTaken = true;
      }
      continue;
    }
    if (index > 0 && !separatorTaken) pieces.push(SLASH);
    separatorTaken = false;
    if (only === 'star') {
      pieces.push(SEGMENT_CHAR, SEGMENT_RUN);
      continue;
    }
    for (const item of segment) pieces.push(item === 'star' ? SEGMENT_RUN : item === 'globstar' ? ANY_RUN : char(item));
  }
  return compileWildcard(pieces);
}

/** Splits on '/' into segments of characters (as char codes) and wildcards. */
function parseSegments(pattern: string): Item[][] {
  const segments: Item[][] = [[]];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const segment = segments.at(-1)!;
    if (c === '%' && i + 1 < pattern.length) {
      segment.push(pattern.charCodeAt(++i));
    } else if (c === '/') {
      segments.push([]);
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        while (pattern[i + 1] === '*') i++;
        segment.push('globstar');
      } else {
        segment.push('star');
      }
    } else {
      segment.push(pattern.charCodeAt(i));
    }
  }
  return segments;
}
