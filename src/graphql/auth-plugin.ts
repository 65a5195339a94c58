import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { UNAUTHENTICATED_MESSAGE } from '../auth/authenticator.js';
import type { GatewayContext } from './context.js';
import { GatewayError } from '../errors.js';
import { isAppTokenOnlyName, scopeRefusal } from './access-scopes.js';
import { toGraphQLError } from './errors.js';

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
          const { access } = contextValue;
          if (contextValue.caller && access && operation) {
            // An access token reaches only the root fields its scopes grant; which meeting is checked by the resolver.
            const fragments = fragmentsOf(document);
            for (const field of rootFieldNames(operation.selectionSet, fragments)) {
              if (field.startsWith('__') && (field === '__typename' || options.introspection)) continue;
              const refusal = scopeRefusal(field, access.scopes);
              if (refusal) throw toGraphQLError(refusal);
            }
            // By name, at any depth: the resolver-level guard (schema.ts) names the type, this refuses before anything runs.
            const secret = allFieldNames(operation.selectionSet, fragments).find(isAppTokenOnlyName);
            if (secret !== undefined) throw toGraphQLError(new GatewayError('FORBIDDEN', `${secret} needs the app's API token: no access-token scope grants it.`));
            return;
          }
          if (contextValue.caller) return;
          if (options.introspection && operation && isIntrospectionOnly(operation)) return;
          const message = contextValue.accessRefusal === undefined ? UNAUTHENTICATED_MESSAGE : `The access token is refused: ${contextValue.accessRefusal}. Ask your backend for a new one.`;
          throw new GraphQLError(message, {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
          });
        },
      };
    },
  };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return fragments;
}

/** Root field names, looking into inline and named fragments (validation already refused fragment cycles). */
function rootFieldNames(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): string[] {
  return set.selections.flatMap((s) => {
    if (s.kind === 'Field') return [s.name.value];
    if (s.kind === 'InlineFragment') return rootFieldNames(s.selectionSet, fragments);
    const fragment = fragments.get(s.name.value);
    return fragment ? rootFieldNames(fragment.selectionSet, fragments) : [];
  });
}

/** Every field name selected at any depth, through fragments (each named fragment is walked once). */
function allFieldNames(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  return set.selections.flatMap((s) => {
    if (s.kind === 'Field') return [s.name.value, ...(s.selectionSet ? allFieldNames(s.selectionSet, fragments, seen) : [])];
    if (s.kind === 'InlineFragment') return allFieldNames(s.selectionSet, fragments, seen);
    const fragment = fragments.get(s.name.value);
    if (!fragment || seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    return allFieldNames(fragment.selectionSet, fragments, seen);
  });
}

function isIntrospectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.operation === 'query' && onlyMetaFields(operation.selectionSet);
}

function onlyMetaFields(set: SelectionSetNode): boolean {
  return set.selections.every((s) => {
    if (s.kind === 'Field') return s.name.value.startsWith('__');
    // Fragments are checked for what they select at the root too.
    if (s.kind === 'InlineFragment') return onlyMetaFields(s.selectionSet);
    return false;
  });
}
