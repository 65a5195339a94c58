import {
  GraphQLError,
  Kind,
  isInterfaceType,
  isObjectType,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { GatewayError, badInput } from '../errors.js';
import { toGraphQLError } from './errors.js';
import { fragmentsOf } from './fragments.js';

export interface OperationLimits {
  /** Deepest nesting of fields: `{ meeting { attendees { name } } }` has depth 3. Introspection fields are not counted. */
  maxDepth: number;
  /**
   * Highest cost of one operation: every selected field costs 1 unless its type-graphql decorator sets `complexity`
   * (a number, or a function of its arguments and its children's cost).
   */
  maxComplexity: number;
  /** Aliased fields and fragment spreads written in the document (not expanded): both multiply work cheaply. */
  maxAliases: number;
  maxFragmentSpreads: number;
  /** Highest estimate of the BBB calls one operation may cause: the sum of the `bbbCalls` extension of every selected field. */
  maxBbbCalls: number;
  /** Mutation fields one operation may select, aliases and fragments included. Every mutation changes something on BBB. */
  maxMutations: number;
}

/**
 * The extension a field that calls BBB declares (type-graphql's `@Extensions({ bbbCalls })`): the most BBB calls one
 * selection of it can cause, as a number or a function of its arguments. Every such field must declare it; the schema test
 * checks that the root fields do.
 */
export const BBB_CALLS_EXTENSION = 'bbbCalls';
export type BbbCallsEstimate = number | ((args: Record<string, unknown>) => number);

/** What one operation costs: fields (the complexity), estimated BBB calls, and mutation fields. */
interface OperationCost {
  cost: number;
  bbbCalls: number;
  mutations: number;
}

/** graphql-query-complexity walks fragments expanded; it gives up past this many nodes, and the operation is then refused. */
const MAX_QUERY_NODES = 10_000;

/**
 * The depth limit as a validation rule: a deeper operation fails validation like any invalid document, so Apollo answers
 * GRAPHQL_VALIDATION_FAILED with HTTP 400 before anything runs. Written here rather than taken from graphql-depth-limit,
 * which overflows the stack on fragment cycles and throws on unknown fragments instead of leaving them to their own rules.
 * Each fragment is measured once and its depth reused at every spread, so the rule is linear in the document's size: a
 * document of fragments that each spread the previous one twice would otherwise be walked 2^n times.
 */
export function depthLimitRule(limits: Pick<OperationLimits, 'maxDepth'>): ValidationRule {
  const { maxDepth } = limits;
  return (context) => {
    const fragments = fragmentsOf(context.getDocument());
    const fragmentDepths = new Map<string, number>();
    const measuring = new Set<string>();

    const fragmentDepth = (name: string): number => {
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known;
      const fragment = fragments.get(name);
      // Unknown fragments and cycles are reported by graphql's own rules.
      if (fragment === undefined || measuring.has(name)) return 0;
      measuring.add(name);
      const depth = depthOf(fragment);
      measuring.delete(name);
      fragmentDepths.set(name, depth);
      return depth;
    };

    // The depth of a selection set below the field that holds it. It stops once past the limit, so a huge document costs
    // no more than the limit to measure; any value over the limit means "too deep" wherever it is added.
    function depthOf(set: SelectionSetNode): number {
      let deepest = 0;
      for (const s of set.selections) {
        if (deepest > maxDepth) break;
        if (s.kind === Kind.FIELD) {
          if (s.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, 1 + (s.selectionSet ? depthOf(s.selectionSet) : 0));
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(s.selectionSet));
        } else {
          deepest = Math.max(deepest, fragmentDepth(s.name.value));
        }
      }
      return deepest;
    }

    return {
      OperationDefinition(node) {
        if (depthOf(node.selectionSet) > maxDepth) {
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
 * Bounds what a document writes: aliased fields and fragment spreads, counted as written (one pass, no expansion). An
 * alias is the cheap way to ask for one BBB call many times, a spread the cheap way to repeat a selection.
 */
export function documentSizeRule(limits: Pick<OperationLimits, 'maxAliases' | 'maxFragmentSpreads'>): ValidationRule {
  return (context) => {
    let aliases = 0;
    let spreads = 0;
    return {
      Field(node) {
        if (node.alias !== undefined && ++aliases === limits.maxAliases + 1) {
          context.reportError(
            new GraphQLError(
              `The document has more than ${limits.maxAliases} aliased fields (GRAPHQL_MAX_ALIASES). Split it into several operations.`,
              { nodes: [node] },
            ),
          );
        }
      },
      FragmentSpread(node) {
        if (++spreads === limits.maxFragmentSpreads + 1) {
          context.reportError(
            new GraphQLError(
              `The document has more than ${limits.maxFragmentSpreads} fragment spreads (GRAPHQL_MAX_FRAGMENT_SPREADS). Use fewer fragments.`,
              { nodes: [node] },
            ),
          );
        }
      },
    };
  };
}

export interface ComplexityLimitOptions<TContext extends BaseContext> {
  /**
   * Runs before anything is measured and may refuse the operation (the gateway's auth and access-token scopes), so an
   * operation it refuses is never charged. Apollo runs separate plugins' didResolveOperation hooks concurrently, so this
   * order can only be kept inside one plugin.
   */
  authorize?: (request: GraphQLRequestContextDidResolveOperation<TContext>) => void | Promise<void>;
  /**
   * Called with the measured cost of an operation within every limit, before it runs; the gateway charges the rate limit
   * here. What it throws refuses the operation (a GraphQLError as it is, a GatewayError translated).
   */
  onMeasured?: (context: TContext, cost: OperationCost) => void | Promise<void>;
}

/**
 * Refuses an operation whose cost exceeds `maxComplexity`, whose BBB-call estimate exceeds `maxBbbCalls`, or that selects
 * more than `maxMutations` mutation fields, with GRAPHQL_VALIDATION_FAILED and HTTP 400. It runs in didResolveOperation,
 * not as a validation rule, because the cost of list arguments depends on the variables. An operation whose cost cannot
 * be measured (too many nodes once fragments are expanded, variables that do not fit) is refused too, never run unchecked.
 */
export function complexityLimitPlugin<TContext extends BaseContext>(
  limits: Pick<OperationLimits, 'maxComplexity' | 'maxBbbCalls' | 'maxMutations'>,
  options: ComplexityLimitOptions<TContext> = {},
): ApolloServerPlugin<TContext> {
  // Measuring walks the whole document with the schema, on every request. Apollo hands the same parsed document to every
  // request with the same query text, so the cost of an operation no variable can change is measured once per document.
  const fixedCosts = new WeakMap<DocumentNode, Map<string, OperationCost>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          // Awaited only when it is asynchronous: a promise per hook and request adds up (bench/README.md).
          const authorized = options.authorize?.(requestContext);
          if (authorized) await authorized;
          const { request, document, schema, operationName, contextValue } = requestContext;
          const key = operationName ?? '';
          let measured = fixedCosts.get(document)?.get(key);
          if (measured === undefined) {
            measured = measure(schema, document, operationName ?? undefined, request.variables ?? {});
            if (!variablesCanChangeCost(document, schema)) {
              const known = fixedCosts.get(document) ?? new Map<string, OperationCost>();
              known.set(key, measured);
              fixedCosts.set(document, known);
            }
          }
          const { cost, bbbCalls, mutations } = measured;
          if (cost > limits.maxComplexity) {
            throw refusal(
              `The operation costs ${cost}, more than the limit of ${limits.maxComplexity} (GRAPHQL_MAX_COMPLEXITY). Select fewer fields, or split it into several operations.`,
              { cost, maxCost: limits.maxComplexity },
            );
          }
          if (mutations > limits.maxMutations) {
            throw refusal(
              `The operation selects ${mutations} mutation fields, more than the limit of ${limits.maxMutations} (GRAPHQL_MAX_MUTATIONS). Send one operation per change.`,
              { mutations, maxMutations: limits.maxMutations },
            );
          }
          if (bbbCalls > limits.maxBbbCalls) {
            throw refusal(
              `The operation may cause ${bbbCalls} BigBlueButton calls, more than the limit of ${limits.maxBbbCalls} (GRAPHQL_MAX_BBB_CALLS). Select fewer fields that read from BigBlueButton, or split it into several operations.`,
              { bbbCalls, maxBbbCalls: limits.maxBbbCalls },
            );
          }
          if (options.onMeasured) {
            try {
              const charged = options.onMeasured(contextValue, measured);
              if (charged) await charged;
            } catch (err) {
              throw err instanceof GraphQLError ? err : toGraphQLError(err);
            }
          }
        },
      };
    },
  };
}

function refusal(message: string, extensions: Record<string, number>): GraphQLError {
  return toGraphQLError(new GatewayError('GRAPHQL_VALIDATION_FAILED', message), { extensions });
}

/** The three measures in one walk of graphql-query-complexity; any failure to measure becomes a coded refusal. */
function measure(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): OperationCost {
  let bbbCalls = 0;
  let mutations = 0;
  const mutationType = schema.getMutationType();
  // Sees every selected field once per place it is selected (aliases and spreads expanded, @skip/@include applied), adds
  // its BBB calls and mutations, and leaves the field's cost to the estimators after it.
  const tally: ComplexityEstimator = ({ type, field, args }) => {
    if (mutationType !== null && mutationType !== undefined && type === mutationType) mutations++;
    const calls = field.extensions[BBB_CALLS_EXTENSION] as BbbCallsEstimate | undefined;
    if (typeof calls === 'number') bbbCalls += calls;
    else if (typeof calls === 'function') bbbCalls += calls(args);
  };
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      operationName,
      variables,
      maxQueryNodes: MAX_QUERY_NODES,
      estimators: [tally, fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (err) {
    if (err instanceof GraphQLError && err.message.startsWith('Variable "$')) {
      // graphql's own message names the variable and what is wrong with it, as execution would.
      throw toGraphQLError(badInput(err.message), { nodes: err.nodes });
    }
    if (err instanceof GraphQLError && /maximum allowed number of nodes/.test(err.message)) {
      throw refusal(
        `The operation selects more than ${MAX_QUERY_NODES} fields once its fragments are expanded, so its cost is over any limit (GRAPHQL_MAX_COMPLEXITY). Select fewer fields.`,
        { maxNodes: MAX_QUERY_NODES },
      );
    }
    throw refusal('The cost of the operation could not be measured, so it was not run (GRAPHQL_MAX_COMPLEXITY).', {});
  }
  if (!Number.isFinite(cost) || !Number.isFinite(bbbCalls)) {
    throw refusal('The cost of the operation could not be measured, so it was not run (GRAPHQL_MAX_COMPLEXITY).', {});
  }
  return { cost, bbbCalls, mutations };
}

/** Names of the fields whose complexity or BBB-call estimate is a function of their arguments (`complexity: ({ args }) => …`). */
const argumentCostFields = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

function fieldsWithArgumentCost(schema: GraphQLSchema): ReadonlySet<string> {
  let names = argumentCostFields.get(schema);
  if (names === undefined) {
    const found = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        // A cost or a BBB-call estimate computed from arguments (recordings' first/after) changes with the variables.
        if (
          typeof field.extensions.complexity === 'function' ||
          typeof field.extensions[BBB_CALLS_EXTENSION] === 'function'
        )
          found.add(field.name);
      }
    }
    names = found;
    argumentCostFields.set(schema, names);
  }
  return names;
}

/**
 * False when no variable can change the document's cost: it has no directives (`@skip(if: $v)`, `@include(if: $v)`), and
 * selects no field whose complexity or BBB-call estimate is computed from its arguments. Matching by field name alone
 * errs on the safe side.
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
