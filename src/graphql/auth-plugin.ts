import { GraphQLError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
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
        async didResolveOperation({ contextValue, operation }) {
          if (contextValue.caller) return;
          if (options.introspection && operation && isIntrospectionOnly(operation)) return;
          throw new GraphQLError(UNAUTHENTICATED_MESSAGE, {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
          });
        },
      };
    },
  };
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
