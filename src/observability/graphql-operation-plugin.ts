import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { currentObservation } from './request-context.js';

/** Longer client-chosen operation names are cut in the log. */
const MAX_OPERATION_NAME_LENGTH = 100;

/**
 * Names the GraphQL operation of the running request for its log line and metrics: the schema's root fields it selects
 * (`createMeeting`, `joinUrl+meeting`), which are few and known, and the client's `operationName`, which is logged only.
 * Also notes the first error's code.
 */
export function operationObserverPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const observation = currentObservation();
      if (observation === undefined) return;
      return {
        async didResolveOperation({ operation, operationName, document }) {
          if (operation) observation.operation = rootFields(operation, document);
          if (operationName) observation.operationName = operationName.slice(0, MAX_OPERATION_NAME_LENGTH);
        },
        async didEncounterErrors({ errors }) {
          const code = errors[0]?.extensions?.code;
          if (observation.errorCode === undefined && typeof code === 'string') observation.errorCode = code;
        },
      };
    },
  };
}

function rootFields(operation: OperationDefinitionNode, document: DocumentNode): string {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const names = new Set<string>();
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet);
      else if (!visited.has(s.name.value)) {
        visited.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  // Sorted, so `{ a b }` and `{ b a }` are one label value; aliases are ignored, so they cannot make new ones.
  return [...names].sort().join('+');
}
