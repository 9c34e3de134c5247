// The contract gate: what `schema.graphql` changes against `schema/released.graphql` (the last released contract),
// and whether each breaking change may land. Run by api/test/contract-compat.test.ts (so by `npm test`) and by
// `npm run schema:release`.
//
// - Additions, description changes and dangerous changes (a new enum value, a changed default) pass.
// - A breaking change (graphql-inspector's BREAKING) passes only when CHANGELOG.md records it under `## Unreleased`,
//   one line per schema coordinate:
//       - BREAKING: `Type.field` — what changed — reason: why
//   Coordinates: `Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE`, `Input.field`, `@directive(argument:)`;
//   a change to the schema's root operation types is `schema`.
// - Deprecate first: removing a field, argument, input field or enum value fails, recorded or not, unless it was
//   @deprecated in schema/released.graphql; removing a type fails unless every field, argument and input field of
//   that type was (for a root type: every field of it).
// - A `BREAKING:` line that names no breaking change (a typo, a reverted change) fails too: the changelog is what
//   the mobile teams and third parties read.
import path from 'node:path';
import { diff, type Change, CriticalityLevel } from '@graphql-inspector/core';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { ROOT_DIR } from '../src/paths.ts';

export const CURRENT_FILE = path.join(ROOT_DIR, 'schema.graphql');
export const RELEASED_FILE = path.join(ROOT_DIR, 'schema', 'released.graphql');
export const CHANGELOG_FILE = path.join(ROOT_DIR, 'CHANGELOG.md');

export interface GateInput {
  /** SDL of the last released contract (schema/released.graphql). */
  released: string;
  /** SDL of the contract as it is now (schema.graphql). */
  current: string;
  /** CHANGELOG.md. */
  changelog: string;
}

export interface GateReport {
  ok: boolean;
  /** Why the gate fails, one sentence each; empty when it passes. */
  problems: string[];
  /** Breaking changes with their coordinates, recorded or not. */
  breaking: { coordinate: string; message: string; recorded: boolean }[];
  /** Every change graphql-inspector found, breaking or not. */
  changes: Change[];
}

const ENTRY = /^\s*[-*]\s+BREAKING:\s*(.*)$/;

/**
 * A schema coordinate in one spelling: graphql-inspector's `Type.field.arg` and `@dir.arg` become
 * `Type.field(arg:)` and `@dir(arg:)`; backticks and a missing `:` in `(arg)` are tolerated.
 */
export function normalizeCoordinate(raw: string): string {
  const c = raw
    .trim()
    .replace(/^`|`$/g, '')
    .replace(/\((\w+)\)$/, '($1:)');
  const parts = c.split('.');
  if (c.startsWith('@') && parts.length === 2) return `${parts[0]}(${parts[1]}:)`;
  if (!c.startsWith('@') && parts.length === 3 && !parts[2].startsWith('@'))
    return `${parts[0]}.${parts[1]}(${parts[2]}:)`;
  return c;
}

/** The `- BREAKING:` lines of the `## Unreleased` section, by coordinate, and the lines that are malformed. */
export function recordedBreakingChanges(changelog: string): { coordinates: Map<string, string>; problems: string[] } {
  const coordinates = new Map<string, string>();
  const problems: string[] = [];
  let inUnreleased = false;
  for (const line of changelog.split('\n')) {
    if (/^## /.test(line)) inUnreleased = /^## Unreleased\s*$/i.test(line);
    const entry = inUnreleased && ENTRY.exec(line);
    if (!entry) continue;
    const coordinate = /^`([^`]+)`|^(\S+)/.exec(entry[1]);
    if (!coordinate) {
      problems.push(
        `CHANGELOG.md: "${line.trim()}" names no schema coordinate (- BREAKING: \`Type.field\` — … — reason: …).`,
      );
      continue;
    }
    if (!/\breason:\s*\S/i.test(entry[1])) {
      problems.push(`CHANGELOG.md: "${line.trim()}" gives no reason (end it with "— reason: …").`);
    }
    coordinates.set(normalizeCoordinate(coordinate[1] ?? coordinate[2]), line.trim());
  }
  return { coordinates, problems };
}

/** The coordinate a change is recorded under. */
export function coordinateOf(change: Change): string {
  return change.path ? normalizeCoordinate(change.path) : 'schema';
}

const isDeprecated = (thing: { deprecationReason?: string | null } | undefined) => thing?.deprecationReason != null;

/** Every field, argument and input field of this type in the schema, by coordinate, with its deprecation. */
function referencesTo(schema: GraphQLSchema, typeName: string): { coordinate: string; deprecated: boolean }[] {
  const refs: { coordinate: string; deprecated: boolean }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name === typeName) {
          refs.push({ coordinate: `${type.name}.${field.name}`, deprecated: isDeprecated(field) });
        }
        for (const arg of field.args) {
          if (getNamedType(arg.type).name === typeName) {
            refs.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, deprecated: isDeprecated(arg) });
          }
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name === typeName) {
          refs.push({ coordinate: `${type.name}.${field.name}`, deprecated: isDeprecated(field) });
        }
      }
    }
  }
  return refs;
}

const isRootType = (schema: GraphQLSchema, type: GraphQLNamedType) =>
  [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].some((root) => root === type);

/**
 * For a removal: why it may not happen yet (the removed thing was not deprecated in the released contract), or
 * null when it was, or when the change is not a removal.
 */
function notDeprecatedFirst(change: Change, released: GraphQLSchema): string | null {
  const [typeName, member, arg] = (change.path ?? '').split('.');
  const type = released.getType(typeName);
  const coordinate = coordinateOf(change);
  const notDeprecated =
    `${coordinate} was removed without being @deprecated in schema/released.graphql: deprecate it first ` +
    `(@deprecated(reason: "…") in a release), remove it in a later one.`;
  switch (change.type) {
    case 'FIELD_REMOVED':
    case 'INPUT_FIELD_REMOVED': {
      const fields =
        type && (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) ? type.getFields() : {};
      return isDeprecated(fields[member]) ? null : notDeprecated;
    }
    case 'FIELD_ARGUMENT_REMOVED': {
      const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[member] : undefined;
      const removed = field?.args.find((a) => a.name === arg);
      return isDeprecated(removed) ? null : notDeprecated;
    }
    case 'ENUM_VALUE_REMOVED': {
      const value = type && isEnumType(type) ? type.getValue(member) : undefined;
      return isDeprecated(value ?? undefined) ? null : notDeprecated;
    }
    case 'TYPE_REMOVED': {
      if (!type) return null;
      const refs =
        isRootType(released, type) && isObjectType(type)
          ? Object.values(type.getFields()).map((f) => ({
              coordinate: `${type.name}.${f.name}`,
              deprecated: isDeprecated(f),
            }))
          : referencesTo(released, type.name);
      const live = refs.filter((r) => !r.deprecated).map((r) => r.coordinate);
      return live.length === 0
        ? null
        : `type ${coordinate} was removed while ${live.join(', ')} ${live.length === 1 ? 'was' : 'were'} not @deprecated in schema/released.graphql: deprecate ${live.length === 1 ? 'it' : 'them'} first, remove the type in a later release.`;
    }
    default:
      return null;
  }
}

/** Compares the current contract with the released one and checks every breaking change against the changelog. */
export async function checkContract({ released, current, changelog }: GateInput): Promise<GateReport> {
  const releasedSchema = buildSchema(released);
  const changes = await diff(releasedSchema, buildSchema(current));
  const { coordinates: recorded, problems } = recordedBreakingChanges(changelog);
  const breaking: GateReport['breaking'] = [];
  const named = new Set<string>();

  for (const change of changes) {
    if (change.criticality.level !== CriticalityLevel.Breaking) continue;
    const coordinate = coordinateOf(change);
    named.add(coordinate);
    const isRecorded = recorded.has(coordinate);
    breaking.push({ coordinate, message: change.message, recorded: isRecorded });
    if (!isRecorded) {
      problems.push(
        `breaking change not recorded: ${change.message}. Keep the contract additive, or add to CHANGELOG.md under ` +
          `"## Unreleased": - BREAKING: \`${coordinate}\` — … — reason: …`,
      );
    }
    const early = notDeprecatedFirst(change, releasedSchema);
    if (early) problems.push(early);
  }
  for (const [coordinate, line] of recorded) {
    if (!named.has(coordinate)) {
      problems.push(
        `CHANGELOG.md records "${line}" but schema.graphql has no breaking change at ${coordinate} against ` +
          `schema/released.graphql: fix the coordinate or remove the line.`,
      );
    }
  }
  return { ok: problems.length === 0, problems, breaking, changes };
}
