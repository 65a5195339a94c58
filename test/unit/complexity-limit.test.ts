import { describe, expect, it } from '@jest/globals';
import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type DocumentNode } from 'graphql';
import type { BaseContext, GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import { complexityLimitPlugin } from '../../src/graphql/limits.js';

// `items(first)` costs `first` (children not counted); `name` costs 1, like every field without a complexity of its own.
const Item = new GraphQLObjectType({ name: 'Item', fields: { name: { type: GraphQLString } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      name: { type: GraphQLString },
      items: {
        type: new GraphQLList(Item),
        args: { first: { type: GraphQLInt } },
        extensions: { complexity: ({ args }: { args: { first: number } }) => args.first },
      },
    },
  }),
});

/** One request through the plugin's didResolveOperation, as Apollo calls it. */
async function run(plugin: ReturnType<typeof complexityLimitPlugin<BaseContext>>, document: DocumentNode, variables: Record<string, unknown>): Promise<void> {
  const listener = (await plugin.requestDidStart!({} as never)) as GraphQLRequestListener<BaseContext>;
  await listener.didResolveOperation!({ request: { variables }, document, schema, operationName: null } as unknown as GraphQLRequestContextDidResolveOperation<BaseContext>);
}

describe('complexityLimitPlugin', () => {
  it('measures a document once and keeps refusing it when it is too costly', async () => {
    const plugin = complexityLimitPlugin<BaseContext>({ maxDepth: 10, maxComplexity: 2 });
    const doc = parse('{ a: name b: name c: name }');
    await expect(run(plugin, doc, {})).rejects.toThrow(/costs 3/);
    await expect(run(plugin, doc, {})).rejects.toThrow(/costs 3/);
  });

  it('measures again, with the request\'s variables, a document whose cost depends on them', async () => {
    const plugin = complexityLimitPlugin<BaseContext>({ maxDepth: 10, maxComplexity: 10 });
    const doc = parse('query($n: Int) { items(first: $n) { name } }');
    await expect(run(plugin, doc, { n: 5 })).resolves.toBeUndefined();
    await expect(run(plugin, doc, { n: 50 })).rejects.toThrow(/costs 50/);
  });

  it('measures again a document with @include or @skip, whose variables can remove fields', async () => {
    const plugin = complexityLimitPlugin<BaseContext>({ maxDepth: 10, maxComplexity: 2 });
    const doc = parse('query($all: Boolean!) { a: name b: name @include(if: $all) c: name @include(if: $all) }');
    await expect(run(plugin, doc, { all: false })).resolves.toBeUndefined();
    await expect(run(plugin, doc, { all: true })).rejects.toThrow(/costs 3/);
  });

  it('lets a cheap operation through, the first time and from what it measured', async () => {
    const plugin = complexityLimitPlugin<BaseContext>({ maxDepth: 10, maxComplexity: 10 });
    const doc = parse('{ name }');
    await expect(run(plugin, doc, {})).resolves.toBeUndefined();
    await expect(run(plugin, doc, {})).resolves.toBeUndefined();
  });
});
