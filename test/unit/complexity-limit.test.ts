import { describe, expect, it } from '@jest/globals';
import {
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  parse,
  validate,
  type DocumentNode,
} from 'graphql';
import type { BaseContext, GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import { complexityLimitPlugin, depthLimitRule } from '../../src/graphql/limits.js';

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
async function run(
  plugin: ReturnType<typeof complexityLimitPlugin<BaseContext>>,
  document: DocumentNode,
  variables: Record<string, unknown>,
): Promise<void> {
  const listener = (await plugin.requestDidStart!({} as never)) as GraphQLRequestListener<BaseContext>;
  await listener.didResolveOperation!({
    request: { variables },
    document,
    schema,
    operationName: null,
  } as unknown as GraphQLRequestContextDidResolveOperation<BaseContext>);
}

/** Limits that never refuse, so each test sets only the one it is about. */
const UNBOUNDED = { maxComplexity: 1_000_000, maxBbbCalls: 1_000_000, maxMutations: 1_000_000 };

describe('complexityLimitPlugin', () => {
  it('measures a document once and keeps refusing it when it is too costly', async () => {
    const plugin = complexityLimitPlugin<BaseContext>({ ...UNBOUNDED, maxComplexity: 2 });
    const doc = parse('{ a: name b: name c: name }');
    await expect(run(plugin, doc, {})).rejects.toThrow(/costs 3/);
    await expect(run(plugin, doc, {})).rejects.toThrow(/costs 3/);
  });

  it("measures again, with the request's variables, a document whose cost depends on them", async () => {
    const plugin = complexityLimitPlugin<BaseContext>({ ...UNBOUNDED, maxComplexity: 10 });
    const doc = parse('query($n: Int) { items(first: $n) { name } }');
    await expect(run(plugin, doc, { n: 5 })).resolves.toBeUndefined();
    await expect(run(plugin, doc, { n: 50 })).rejects.toThrow(/costs 50/);
  });

  it('measures again a document with @include or @skip, whose variables can remove fields', async () => {
    const plugin = complexityLimitPlugin<BaseContext>({ ...UNBOUNDED, maxComplexity: 2 });
    const doc = parse('query($all: Boolean!) { a: name b: name @include(if: $all) c: name @include(if: $all) }');
    await expect(run(plugin, doc, { all: false })).resolves.toBeUndefined();
    await expect(run(plugin, doc, { all: true })).rejects.toThrow(/costs 3/);
  });

  it('lets a cheap operation through, the first time and from what it measured', async () => {
    const plugin = complexityLimitPlugin<BaseContext>({ ...UNBOUNDED, maxComplexity: 10 });
    const doc = parse('{ name }');
    await expect(run(plugin, doc, {})).resolves.toBeUndefined();
    await expect(run(plugin, doc, {})).resolves.toBeUndefined();
  });
});

describe('complexityLimitPlugin when the cost cannot be measured', () => {
  const broken = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        name: {
          type: GraphQLString,
          extensions: {
            complexity: () => {
              throw new Error('estimator bug');
            },
          },
        },
      },
    }),
  });

  it('refuses the operation with a coded error instead of letting it run unchecked', async () => {
    const plugin = complexityLimitPlugin<BaseContext>(UNBOUNDED);
    const listener = (await plugin.requestDidStart!({} as never)) as GraphQLRequestListener<BaseContext>;
    const attempt = listener.didResolveOperation!({
      request: { variables: {} },
      document: parse('{ name }'),
      schema: broken,
      operationName: null,
    } as unknown as GraphQLRequestContextDidResolveOperation<BaseContext>);
    await expect(attempt).rejects.toMatchObject({
      message: expect.stringMatching(/could not be measured/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

describe('depthLimitRule', () => {
  // A document whose fragments each spread the previous one twice: 2^levels paths through 'levels' fragments.
  const levels = 25;
  let text = `{ items(first: 1) { ...F${levels} } } fragment F0 on Item { name }`;
  for (let i = 1; i <= levels; i++) text += ` fragment F${i} on Item { ...F${i - 1} ...F${i - 1} }`;

  it('walks each fragment once however often it is spread (linear, not 2^n)', () => {
    const doc = parse(text);
    let walks = 0;
    // Counts every time the rule (or graphql's own rules) reads a fragment's selections.
    const counted = {
      ...doc,
      definitions: doc.definitions.map((d) =>
        d.kind !== Kind.FRAGMENT_DEFINITION
          ? d
          : {
              ...d,
              selectionSet: new Proxy(d.selectionSet, {
                get(target, prop, receiver) {
                  if (prop === 'selections') walks++;
                  return Reflect.get(target, prop, receiver) as unknown;
                },
              }),
            },
      ),
    } as DocumentNode;
    expect(validate(schema, counted, [depthLimitRule({ maxDepth: 10 })])).toEqual([]);
    // Each of the 26 fragments: once by the visitor that walks the document, once by the rule's measuring.
    expect(walks).toBeLessThanOrEqual(2 * (levels + 1));
  });

  it('still finds a fragment too deep wherever it is spread', () => {
    const deep = parse('{ items(first: 1) { ...A } } fragment A on Item { ...B } fragment B on Item { name }');
    expect(validate(schema, deep, [depthLimitRule({ maxDepth: 2 })])).toEqual([]);
    expect(validate(schema, deep, [depthLimitRule({ maxDepth: 1 })])[0]?.message).toMatch(/GRAPHQL_MAX_DEPTH/);
  });
});
