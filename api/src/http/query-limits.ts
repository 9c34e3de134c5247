// The query limits: every document is checked before anything runs, over HTTP, SSE and graphql-ws alike, and one
// over a limit is refused with QUERY_TOO_COMPLEX (error-codes.ts). Depth, aliases, directives and tokens are
// graphql-armor's (yoga.ts); the cost is counted here.
//
// The cost is counted from the document alone (so a result is the same for every request with that document, and
// Yoga's validation cache holds). Every field costs 1 for each item of the lists around it; a list's size is the
// page its connection asks for (`first`/`last`), counted as MAX_PAGE (100, the largest legal page) when the page
// size is a variable or not given: a document must be within the limit for every legal value of its variables.
// Fields selected twice (colocated fragments) are one field, as in execution. `__typename` and introspection are
// free: graphql-js's MaxIntrospectionDepthRule bounds introspection.
//
// graphql-armor's own costLimit counts page sizes only when they are literals (`last: $n` counts as 1), and prices
// depth exponentially, which refused the widest legal query (chatHistory(last: 60) with its users, already) and let
// aliased 100-item pages through when their sizes were variables.
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryTooComplex } from '../errors.ts';
import { MAX_EMOJI } from '../chat/reactions.ts';
import { MAX_ATTACHMENTS } from '../chat/send.ts';
import { MAX_PAGE } from '../paging.ts';

/**
 * The limits, and why:
 * - maxCost 80000: the widest legal query of one root field (every field, the largest page) is conversations(first:
 *   100), each conversation with two messages that each carry their replied-to message, up to 20 reactions and up
 *   to 10 attachments (Message.reactions and Message.attachments count as their bounds, not as pages), at 76,306
 *   (40,306 without attachments); chatHistory(last: 100) about 38,000. Pages multiplied by aliases are over it:
 *   three full chatHistory(last: 100), two full conversations(first: 100). (Before message reactions and replies
 *   it was 5000, the widest then 4006; before attachments 50000.)
 * - maxDepth 8: the deepest legal selection is 6 (conversations > edges > node > lastMessage > sender > id).
 * - maxAliases 15, maxDirectives 50, maxTokens 1000: no legal query needs many; the widest uses none / ~200 tokens.
 */
export const QUERY_LIMITS = {
  maxCost: 80000,
  maxDepth: 8,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 1000,
} as const;

/** Lists that are not pages but have a bound of their own: each counts as that many items. Keyed by name, so a
 * schema built from schema.graphql counts the same. */
const LIST_BOUNDS: Record<string, number> = {
  'Message.reactions': MAX_EMOJI,
  'Message.attachments': MAX_ATTACHMENTS,
  'Upload.fields': 5,
};

/** The arguments that size a page. */
const PAGE_SIZE_ARGUMENTS = ['first', 'last'];
/** Counting stops after this many fields (a document multiplying fragments); the document is then over any limit. */
const MAX_FIELDS_COUNTED = 100_000;

export type Cost = {
  cost: number;
  /** True when counting stopped at MAX_FIELDS_COUNTED: `cost` is a lower bound. */
  incomplete: boolean;
};

class StopCounting extends Error {}

/**
 * The most items a list field returns, when its definition says so (`extensions: { maxItems }`): a page smaller
 * than MAX_PAGE (searchMessages: 50), or a list that is not paged (a search hit's highlights).
 */
function maxItemsOf(definition: GraphQLField<unknown, unknown>): number | undefined {
  const maxItems = definition.extensions?.maxItems;
  return typeof maxItems === 'number' ? maxItems : undefined;
}

/** The page a field asks for, when it has page size arguments: their literal values (clamped to 1..its largest
 * page), else its largest page (MAX_PAGE unless the field declares maxItems). */
function pageSizeOf(definition: GraphQLField<unknown, unknown>, node: FieldNode): number | undefined {
  const sizeArgs = definition.args.filter((arg) => PAGE_SIZE_ARGUMENTS.includes(arg.name));
  if (!sizeArgs.length) return undefined;
  const largest = maxItemsOf(definition) ?? MAX_PAGE;
  const clamp = (n: number) => Math.min(Math.max(n, 1), largest);
  let size = 0;
  for (const arg of sizeArgs) {
    const value = node.arguments?.find((a) => a.name.value === arg.name)?.value;
    if (!value) size = Math.max(size, typeof arg.defaultValue === 'number' ? clamp(arg.defaultValue) : 0);
    else if (value.kind === Kind.INT) size = Math.max(size, clamp(Number(value.value)));
    else if (value.kind !== Kind.NULL) size = largest; // a variable: any legal value may come (or a bad literal)
  }
  // None given: the connection's default page, which the schema does not state as a number; count the largest.
  return size || largest;
}

/** The cost of one operation of a document; fragments by name. */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragmentNamed: (name: string) => FragmentDefinitionNode | null | undefined,
): Cost {
  let total = 0;
  let counted = 0;

  /** Fields by response key, through inline fragments and spreads (each spread once per selection set). */
  const collect = (selections: readonly SelectionNode[], into: Map<string, FieldNode[]>, expanded: Set<string>) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet.selections, into, expanded);
      } else if (!expanded.has(selection.name.value)) {
        expanded.add(selection.name.value);
        const fragment = fragmentNamed(selection.name.value);
        if (fragment) collect(fragment.selectionSet.selections, into, expanded);
      }
    }
    return into;
  };

  /** Adds the fields of a selection set on `type`, each `multiplier` times; `pageSize` sizes the lists in it. */
  const count = (
    type: GraphQLNamedType | undefined,
    selections: readonly SelectionNode[],
    multiplier: number,
    pageSize: number | undefined,
    depth: number,
  ) => {
    // A fragment that spreads itself through its fields is refused by NoFragmentCycles; do not follow it forever.
    if (depth > 64) throw new StopCounting();
    const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    for (const nodes of collect(selections, new Map(), new Set()).values()) {
      const name = nodes[0].name.value;
      if (name.startsWith('__')) continue;
      if (++counted > MAX_FIELDS_COUNTED) throw new StopCounting();
      const definition = fields[name];
      if (!definition) {
        total += multiplier; // an unknown field: validation reports it
        continue;
      }
      const ownPageSize = pageSizeOf(definition, nodes[0]);
      const bound = LIST_BOUNDS[`${type!.name}.${name}`];
      const items = isListType(getNullableType(definition.type))
        ? (ownPageSize ?? maxItemsOf(definition) ?? bound ?? pageSize ?? MAX_PAGE)
        : 1;
      total += multiplier * items;
      const children = nodes.flatMap((node) => node.selectionSet?.selections ?? []);
      if (children.length) count(getNamedType(definition.type), children, multiplier * items, ownPageSize, depth + 1);
    }
  };

  try {
    count(schema.getRootType(operation.operation) ?? undefined, operation.selectionSet.selections, 1, undefined, 0);
    return { cost: total, incomplete: false };
  } catch (err) {
    if (err instanceof StopCounting) return { cost: total, incomplete: true };
    throw err;
  }
}

/** Validation rule: each operation of the document costs at most `maxCost`. */
export function costLimitRule(maxCost: number) {
  return function CostLimit(context: ValidationContext): ASTVisitor {
    return {
      OperationDefinition(operation) {
        const { cost, incomplete } = operationCost(context.getSchema(), operation, (name) => context.getFragment(name));
        if (cost <= maxCost && !incomplete) return;
        const found = incomplete ? `over ${cost}` : String(cost);
        context.reportError(
          queryTooComplex(
            `Query cost ${found} is over the limit of ${maxCost}: ask for fewer fields or smaller pages. ` +
              `A field costs 1 for each item of the lists it is in; a page counts as its first/last ` +
              `(${MAX_PAGE} when that is a variable or not given).`,
            { measure: 'cost', limit: maxCost, ...(incomplete ? {} : { found: cost }) },
          ),
        );
      },
    };
  };
}

export function costLimitPlugin({ maxCost }: { maxCost: number }): Plugin {
  const rule = costLimitRule(maxCost);
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}
