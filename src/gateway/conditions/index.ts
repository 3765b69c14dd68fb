// The Apigee condition language (`request.verb = "GET" and proxy.pathsuffix MatchesPath "/a/**"`), compiled once.
//
// Conditions are parsed at deploy and become plain closures over the flow variables: no code is generated or
// evaluated from text. Syntax and meaning follow the Apigee conditions reference,
// https://cloud.google.com/apigee/docs/api-platform/reference/conditions-reference, and "Pattern matching in
// conditional statements"; the files here say, operator by operator, where Gatehouse has had to decide.
import { compileExpression, type Condition } from './compile.ts';
import { parseCondition } from './parser.ts';
import { expressionVariables } from './variables.ts';

export type { Condition } from './compile.ts';
export { ConditionError } from './condition-error.ts';
export type { VariableReader } from './values.ts';

/**
 * Parses and compiles a condition. Throws ConditionError, with the position of the problem, on bad syntax and on
 * a JavaRegex literal that does not compile.
 */
export function compileCondition(text: string): Condition {
  return compileExpression(parseCondition(text), text);
}

/** The variable names a condition reads, each once, in order of appearance. Throws ConditionError like compileCondition. */
export function conditionVariables(text: string): string[] {
  return expressionVariables(parseCondition(text));
}
