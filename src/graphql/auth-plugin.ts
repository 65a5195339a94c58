import { Kind, parse, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { unauthenticated } from '../auth/caller.js';
import { GatewayError } from '../errors.js';
import type { GatewayContext } from './context.js';
import { isAppTokenOnlyName, scopeRefusal } from './access-scopes.js';
import { toGraphQLError } from './errors.js';
import { fragmentsOf, rootFieldNames } from './fragments.js';

export interface AuthPluginOptions {
  /** Let schema introspection through without a token, so Apollo Sandbox can load the schema before a token is set. */
  introspection: boolean;
}

/** What the authorizer reads of a resolved operation (Apollo's didResolveOperation request context). */
export interface ResolvedOperation {
  contextValue: GatewayContext;
  operation?: OperationDefinitionNode | undefined;
  document: DocumentNode;
}

/**
 * Refuses operations without a valid token with UNAUTHENTICATED and HTTP 401, and an access token's operations beyond its
 * scopes with FORBIDDEN. The complexity plugin runs it first in its didResolveOperation (an error thrown in
 * requestDidStart would be masked as a 500), so nothing is measured or charged for an operation it refuses: Apollo runs
 * the didResolveOperation hooks of separate plugins concurrently, in no order one could rely on.
 */
export function operationAuthorizer(options: AuthPluginOptions): (resolved: ResolvedOperation) => void {
  return ({ contextValue, operation, document }) => {
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
      if (secret !== undefined)
        throw toGraphQLError(
          new GatewayError('FORBIDDEN', `${secret} needs the app's API token: no access-token scope grants it.`),
        );
      return;
    }
    if (contextValue.caller) return;
    if (options.introspection && operation && isIntrospectionOnly(operation, fragmentsOf(document))) return;
    throw toGraphQLError(unauthenticated(contextValue.accessRefusal));
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

function isIntrospectionDocument(document: DocumentNode): boolean {
  const fragments = fragmentsOf(document);
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operations.length > 0 && operations.every((op) => isIntrospectionOnly(op, fragments));
}

function isIntrospectionOnly(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, SelectionSetNode>,
): boolean {
  return operation.operation === 'query' && onlyMetaFields(operation.selectionSet, fragments, new Set());
}

/** Whether a root selection set selects only `__` fields; each named fragment is looked at once, so this is linear. */
function onlyMetaFields(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, SelectionSetNode>,
  seen: Set<string>,
): boolean {
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

/** Every field name selected at any depth, through fragments (each named fragment is walked once). */
function allFieldNames(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, SelectionSetNode>,
  seen = new Set<string>(),
): string[] {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD)
      return [s.name.value, ...(s.selectionSet ? allFieldNames(s.selectionSet, fragments, seen) : [])];
    if (s.kind === Kind.INLINE_FRAGMENT) return allFieldNames(s.selectionSet, fragments, seen);
    const fragment = fragments.get(s.name.value);
    if (!fragment || seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    return allFieldNames(fragment, fragments, seen);
  });
}
