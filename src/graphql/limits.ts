import {
  GraphQLError,
  Kind,
  isInterfaceType,
  isObjectType,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

export interface OperationLimits {
  /** Deepest nesting of fields: `{ meeting { attendees { name } } }` has depth 3. Introspection fields are not counted. */
  maxDepth: number;
  /**
   * Highest cost of one operation: every selected field costs 1 unless its type-graphql decorator sets `complexity`
   * (a number, or a function of its arguments and its children's cost).
   */
  maxComplexity: number;
}

/**
 * The depth limit as a validation rule: a deeper operation fails validation like any invalid document, so Apollo answers
 * GRAPHQL_VALIDATION_FAILED with HTTP 400 before anything runs. Written here rather than taken from graphql-depth-limit,
 * which overflows the stack on fragment cycles and throws on unknown fragments instead of leaving them to their own rules.
 */
export function depthLimitRule(limits: Pick<OperationLimits, 'maxDepth'>): ValidationRule {
  const { maxDepth } = limits;
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

    // Stops descending once past the limit, so a huge document costs no more than the limit to measure.
    const depthOf = (set: SelectionSetNode, above: number, spreading: Set<string>): number => {
      let deepest = above;
      for (const s of set.selections) {
        if (deepest > maxDepth) break;
        if (s.kind === Kind.FIELD) {
          if (s.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, s.selectionSet ? depthOf(s.selectionSet, above + 1, spreading) : above + 1);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(s.selectionSet, above, spreading));
        } else {
          const fragment = fragments.get(s.name.value);
          // Unknown fragments and cycles are reported by graphql's own rules.
          if (fragment === undefined || spreading.has(s.name.value)) continue;
          spreading.add(s.name.value);
          deepest = Math.max(deepest, depthOf(fragment.selectionSet, above, spreading));
          spreading.delete(s.name.value);
        }
      }
      return deepest;
    };

    return {
      OperationDefinition(node) {
        if (depthOf(node.selectionSet, 0, new Set()) > maxDepth) {
          context.reportError(
            new GraphQLError(
              `The operation nests fields deeper than the limit of ${maxDepth} levels (GRAPHQL_MAX_DEPTH). Select less deeply nested fields.`,
              { nodes: [node] },
            ),
          );
        }
      },
    };
  };
}

/**
 * Refuses an operation whose cost exceeds `maxComplexity` with GRAPHQL_VALIDATION_FAILED and HTTP 400. It runs in
 * didResolveOperation, not as a validation rule, because the cost of list arguments depends on the variables.
 */
export function complexityLimitPlugin<TContext extends BaseContext>(limits: OperationLimits): ApolloServerPlugin<TContext> {
  // Measuring walks the whole document with the schema, on every request. Apollo hands the same parsed document to every
  // request with the same query text, so the cost of an operation no variable can change is measured once per document.
  const fixedCosts = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          const key = operationName ?? '';
          let cost = fixedCosts.get(document)?.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({
                schema,
                query: document,
                operationName: operationName ?? undefined,
                variables: request.variables ?? {},
                estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
              });
            } catch {
              // Variables that do not fit the operation: execution reports them properly, and nothing runs either way.
              return;
            }
            if (!variablesCanChangeCost(document, schema)) {
              const known = fixedCosts.get(document) ?? new Map<string, number>();
              known.set(key, cost);
              fixedCosts.set(document, known);
            }
          }
          if (cost > limits.maxComplexity) {
            throw new GraphQLError(
              `The operation costs ${cost}, more than the limit of ${limits.maxComplexity} (GRAPHQL_MAX_COMPLEXITY). Select fewer fields, or split it into several operations.`,
              { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 }, cost, maxCost: limits.maxComplexity } },
            );
          }
        },
      };
    },
  };
}

/** Names of the fields whose complexity is a function of their arguments (type-graphql's `complexity: ({ args }) => …`). */
const argumentCostFields = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

function fieldsWithArgumentCost(schema: GraphQLSchema): ReadonlySet<string> {
  let names = argumentCostFields.get(schema);
  if (names === undefined) {
    const found = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) if (typeof field.extensions.complexity === 'function') found.add(field.name);
    }
    names = found;
    argumentCostFields.set(schema, names);
  }
  return names;
}

/**
 * False when no variable can change the document's cost: it has no directives (`@skip(if: $v)`, `@include(if: $v)`), and
 * selects no field whose complexity is computed from its arguments. Matching by field name alone errs on the safe side.
 */
function variablesCanChangeCost(document: DocumentNode, schema: GraphQLSchema): boolean {
  const argumentCost = fieldsWithArgumentCost(schema);
  let can = false;
  visit(document, {
    Directive() {
      can = true;
    },
    Field(node) {
      if (argumentCost.has(node.name.value)) can = true;
    },
  });
  return can;
}
