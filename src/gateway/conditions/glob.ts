// Matches / Like (`~`): the whole value against a glob where `*` is any run of characters and `?` any one.
//
// Apigee, "Pattern matching in conditional statements": "the wildcard matches zero or more characters"; the match
// is case-sensitive. https://cloud.google.com/apigee/docs/api-platform/fundamentals/pattern-matching-conditional-statements
// `?` is not in Apigee's documentation; Gatehouse reads it as one character, as globs do elsewhere.
import { ANY, ANY_RUN, char, compileWildcard, type Piece, type WildcardMatcher } from './wildcard.ts';

export function compileGlob(pattern: string): WildcardMatcher {
  const pieces: Piece[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      // `**` means what `*` means; one repeat keeps the state set small.
      if (pieces.at(-1) !== ANY_RUN) pieces.push(ANY_RUN);
    } else if (c === '?') {
      pieces.push(ANY);
    } else {
      pieces.push(char(pattern.charCodeAt(i)));
    }
  }
  return compileWildcard(pieces);
}
