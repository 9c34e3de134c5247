// No argument may carry a character that PostgreSQL cannot store as given, checked once per operation before
// execution, over the document's literals, the variables each argument uses and their defaults: a BAD_USER_INPUT
// naming the argument. Two such characters:
// - NUL (U+0000): text cannot hold it, so it surfaced as an internal error after reaching the database;
// - a lone UTF-16 surrogate (U+D800..U+DFFF without its pair; valid in JSON, `"\ud800"`): it is not Unicode, so on
//   its way to the database it became U+FFFD — a message stored other than it was sent, two different passwords
//   hashing alike, a send answered with an error after it was stored.
import { Kind, visit, type ArgumentNode, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badInput } from '../errors.ts';

/** NUL, or a surrogate that is not part of a pair (with the u flag, a pair is one code point outside \p{Cs}). */
const UNSTORABLE = /\u0000|\p{Cs}/u;

export type Unstorable = 'nul' | 'surrogate';

const problemOf = (value: string): Unstorable | null =>
  UNSTORABLE.test(value) ? (value.includes('\u0000') ? 'nul' : 'surrogate') : null;

const problemIn = (value: unknown): Unstorable | null => {
  if (typeof value === 'string') return problemOf(value);
  if (Array.isArray(value)) return firstOf(value);
  if (value && typeof value === 'object') return firstOf(Object.values(value));
  return null;
};
const firstOf = (values: unknown[]): Unstorable | null => {
  for (const v of values) {
    const problem = problemIn(v);
    if (problem) return problem;
  }
  return null;
};

function literalProblem(
  node: ValueNode,
  variables: Record<string, unknown>,
  defaults: Map<string, ValueNode>,
): Unstorable | null {
  switch (node.kind) {
    case Kind.STRING:
      return problemOf(node.value);
    case Kind.VARIABLE: {
      const name = node.name.value;
      if (Object.hasOwn(variables, name)) return problemIn(variables[name]);
      const fallback = defaults.get(name); // not sent: GraphQL uses the default written in the document
      return fallback ? literalProblem(fallback, {}, new Map()) : null;
    }
    case Kind.LIST:
      return firstOf(node.values.map((v) => literalProblem(v, variables, defaults)));
    case Kind.OBJECT:
      return firstOf(node.fields.map((f) => literalProblem(f.value, variables, defaults)));
    default:
      return null;
  }
}

/** The first argument of the operation whose value holds NUL or a lone surrogate, if any, and which it holds. */
export function unstorableArgument(
  document: DocumentNode,
  variables: Record<string, unknown> = {},
): { argument: string; problem: Unstorable } | null {
  // Fast path: neither the variables nor the source text can hold one. A literal spells NUL only as itself or as
  // an escape (\u0000, \u{0}); GraphQL's lexer refuses a lone surrogate in a literal, raw or escaped.
  const body = document.loc?.source.body;
  if (!problemIn(variables) && body !== undefined && !body.includes('\\u') && !UNSTORABLE.test(body)) return null;
  const defaults = new Map<string, ValueNode>();
  let found: { argument: string; problem: Unstorable } | null = null;
  visit(document, {
    VariableDefinition(node) {
      if (node.defaultValue) defaults.set(node.variable.name.value, node.defaultValue);
    },
  });
  visit(document, {
    Argument(node: ArgumentNode) {
      const problem = found ? null : literalProblem(node.value, variables, defaults);
      if (problem) found = { argument: node.name.value, problem };
    },
  });
  return found;
}

const MESSAGE: Record<Unstorable, (argument: string) => string> = {
  nul: (argument) => `${argument} must not contain NUL characters (U+0000).`,
  surrogate: (argument) =>
    `${argument} must be well-formed Unicode: it contains a lone surrogate (U+D800..U+DFFF without its pair).`,
};

export function inputHygienePlugin(): Plugin {
  const check = (document: DocumentNode, variables: Record<string, unknown> | undefined) => {
    const found = unstorableArgument(document, variables ?? {});
    return found ? badInput(MESSAGE[found.problem](found.argument), found.argument) : null;
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
