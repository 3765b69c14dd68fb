// Lists the flow variables a parsed condition reads, for deploy-time checks and documentation.
import type { Expression, Operand } from './parser.ts';

/** Each name once, in order of first appearance. */
export function expressionVariables(expression: Expression): string[] {
  const names = new Set<string>();
  const operand = (o: Operand): void => {
    if (o.kind === 'variable') names.add(o.name);
  };
  const visit = (e: Expression): void => {
    switch (e.kind) {
      case 'or':
      case 'and':
        visit(e.left);
        visit(e.right);
        break;
      case 'not':
        visit(e.operand);
        break;
      case 'comparison':
        operand(e.left);
        operand(e.right);
        break;
      case 'operand':
        operand(e.operand);
        break;
    }
  };
  visit(expression);
  return [...names];
}
