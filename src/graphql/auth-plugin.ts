import { GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { UNAUTHENTICATED_MESSAGE } from '../auth/authenticator.js';
import type { GatewayContext } from './context.js';

export interface AuthPluginOptions {
  /** Let schema introspection through without a token, so Apollo Sandbox can load the schema before a token is set. */
  introspection: boolean;
}

/**
 * Refuses operations without a valid token with UNAUTHENTICATED and HTTP 401. It runs in didResolveOperation because
 * an error thrown in requestDidStart would be masked as a 500.
 */
export function authPlugin(options: AuthPluginOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (contextValue.caller) return;
          if (options.introspection && operation && isIntrospectionOnly(operation, fragmentsOf(document))) return;
          throw new GraphQLError(UNAUTHENTICATED_MESSAGE, {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
          });
        },
      };
    },
  };
}

export interface AnonymousGateOptions extends AuthPluginOptions {
  /** graphql-js's parse limit, as Apollo parses with it. */
  maxTokens: number;
}

/**
 * Decides, before Apollo parses and validates anything, whether a GraphQL request without a valid token may go on: only a
 * document of introspection queries, and only when introspection is on (Apollo Sandbox loads the schema that way before
 * a token is set). Everything else is refused with 401 at the cost of one bounded parse, or of none when introspection is
 * off, so no validation runs for a caller without a token, and no validation error ("Did you mean …?") shows it the schema.
 * A request without a query (the Sandbox page, a persisted-query hash) goes on to Apollo, whose auth plugin still refuses it.
 */
export function mayRunWithoutToken(query: unknown, options: AnonymousGateOptions): boolean {
  if (query === undefined) return true;
  if (!options.introspection || typeof query !== 'string') return false;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: options.maxTokens, noLocation: true });
  } catch {
    return false;
  }
  return isIntrospectionDocument(document);
}

function fragmentsOf(document: DocumentNode): ReadonlyMap<string, SelectionSetNode> {
  return new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
}

function isIntrospectionDocument(document: DocumentNode): boolean {
  const fragments = fragmentsOf(document);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length > 0 && operations.every((op) => isIntrospectionOnly(op, fragments));
}

function isIntrospectionOnly(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, SelectionSetNode>): boolean {
  return operation.operation === 'query' && onlyMetaFields(operation.selectionSet, fragments, new Set());
}

/** Whether a root selection set selects only `__` fields; each named fragment is looked at once, so this is linear. */
function onlyMetaFields(set: SelectionSetNode, fragments: ReadonlyMap<string, SelectionSetNode>, seen: Set<string>): boolean {
  return set.selections.every((s) => {
    if (s.kind === Kind.FIELD) return s.name.value.startsWith('__');
    // Fragments are checked for what they select at the root too.
    if (s.kind === Kind.INLINE_FRAGMENT) return onlyMetaFields(s.selectionSet, fragments, seen);
    const fragment = fragments.get(s.name.value);
    if (fragment === undefined) return false;
    if (seen.has(s.name.value)) return true;
    seen.add(s.name.value);
    return onlyMetaFields(fragment, fragments, seen);
  });
}
