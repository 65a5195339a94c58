import 'reflect-metadata';
import { describe, it, expect } from '@jest/globals';
import { Field, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { printSchema } from 'graphql';

@ObjectType()
class Thing { @Field() name!: string; }
@Resolver()
class R { @Query(() => Thing) thing(): Thing { return { name: 'x' }; } }

describe('smoke', () => {
  it('builds a schema with inferred decorator metadata', async () => {
    const s = await buildSchema({ resolvers: [R] });
    expect(printSchema(s)).toContain('name: String!');
  });
});
