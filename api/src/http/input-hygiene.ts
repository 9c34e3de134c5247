// No argument may carry a NUL character (U+0000): PostgreSQL cannot store it in text, so without this check it
// surfaced as an internal error after reaching the database. Checked once per operation, before execution, over
// the document's literals and the variables each argument uses: a BAD_USER_INPUT naming the argument.
import { Kind, visit, type ArgumentNode, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badInput } from '../errors.ts';

const hasNul = (value: unknown): boolean => {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object') return Object.values(value).some(hasNul);
  return false;
};

function literalHasNul(node: ValueNode, variables: Record<string, unknown>): boolean {
  switch (node.kind) {
    case Kind.STRING:
      return node.value.includes('\u0000');
    case Kind.VARIABLE:
      return hasNul(variables[node.name.value]);
    case Kind.LIST:
      return node.values.some((v) => literalHasNul(v, variables));
    case Kind.OBJECT:
      return node.fields.some((f) => literalHasNul(f.value, variables));
    default:
      return false;
  }
}

/** The first argument of the operation whose value contains NUL, if any. */
export function argumentWithNul(document: DocumentNode, variables: Record<string, unknown> = {}): string | null {
  // Fast path: neither the variables nor the source text (a NUL, or its escape \u0000) can hold one.
  const body = document.loc?.source.body;
  if (!hasNul(variables) && body !== undefined && !JSON.stringify(body).includes('\\u0000')) return null;
  let found: string | null = null;
  visit(document, {
    Argument(node: ArgumentNode) {
      if (!found && literalHasNul(node.value, variables)) found = node.name.value;
    },
  });
  return found;
}

export function inputHygienePlugin(): Plugin {
  const check = (document: DocumentNode, variables: Record<string, unknown> | undefined) => {
    const argument = argumentWithNul(document, variables ?? {});
    return argument ? badInput(`${argument} must not contain NUL characters (U+0000).`, argument) : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args.document, args.variableValues ?? undefined);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args.document, args.variableValues ?? undefined);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
