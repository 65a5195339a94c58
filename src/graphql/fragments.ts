import { Kind, type DocumentNode, type SelectionSetNode } from 'graphql';

/** A document's fragment definitions by name, as the selection sets they stand for. */
export function fragmentsOf(document: DocumentNode): ReadonlyMap<string, SelectionSetNode> {
  return new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [],
    ),
  );
}

/**
 * The distinct root field names a selection set selects, looking into inline and named fragments. Each named fragment is
 * walked once, so this is linear in the document's size whatever its spreads; unknown fragments and cycles are left to
 * graphql's own validation rules.
 */
export function rootFieldNames(set: SelectionSetNode, fragments: ReadonlyMap<string, SelectionSetNode>): Set<string> {
  const names = new Set<string>();
  const visited = new Set<string>();
  const collect = (selections: SelectionSetNode) => {
    for (const s of selections.selections) {
      if (s.kind === Kind.FIELD) names.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet);
      else if (!visited.has(s.name.value)) {
        visited.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) collect(fragment);
      }
    }
  };
  collect(set);
  return names;
}
