import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { fragmentsOf, rootFieldNames } from '../graphql/fragments.js';
import { SERVER_SIDE_CODES } from '../errors.js';
import { loggableMessage, type RequestObservation } from './request-context.js';

/** Longer client-chosen operation names are cut in the log. */
const MAX_OPERATION_NAME_LENGTH = 100;

/**
 * Names the GraphQL operation of the running request for its log line and metrics: the schema's root fields it selects
 * (`createMeeting`, `joinUrl+meeting`), which are few and known, and the client's `operationName`, which is logged only.
 * Also notes the first error's code.
 */
export function operationObserverPlugin<TContext extends BaseContext>(
  observationOf: (context: TContext) => RequestObservation | undefined,
): ApolloServerPlugin<TContext> {
  // Apollo hands every request with the same query text the same parsed document, so its label is worked out once.
  const labels = new WeakMap<OperationDefinitionNode, string>();
  const labelOf = (operation: OperationDefinitionNode, document: DocumentNode): string => {
    let label = labels.get(operation);
    if (label === undefined) labels.set(operation, (label = rootFields(operation, document)));
    return label;
  };
  return {
    async requestDidStart({ contextValue }) {
      const observation = observationOf(contextValue);
      if (observation === undefined) return;
      return {
        async didResolveOperation({ operation, operationName, document }) {
          if (operation) observation.operation = labelOf(operation, document);
          if (operationName) observation.operationName = operationName.slice(0, MAX_OPERATION_NAME_LENGTH);
        },
        async didEncounterErrors({ errors }) {
          const code = errors[0]?.extensions?.code;
          if (observation.errorCode === undefined && typeof code === 'string') {
            observation.errorCode = code;
            const status = (errors[0]?.extensions?.http as { status?: unknown } | undefined)?.status;
            if (!SERVER_SIDE_CODES.has(code) && (typeof status !== 'number' || status < 500))
              observation.errorMessage = loggableMessage(errors[0]?.message ?? '');
          }
        },
      };
    },
  };
}

function rootFields(operation: OperationDefinitionNode, document: DocumentNode): string {
  const names = rootFieldNames(operation.selectionSet, fragmentsOf(document));
  // Sorted, so `{ a b }` and `{ b a }` are one label value; aliases are ignored, so they cannot make new ones.
  return [...names].sort().join('+');
}
