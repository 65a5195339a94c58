import { Field, InputType } from 'type-graphql';

@InputType({ description: 'One metadata key to set on a recording. An empty value removes the key.' })
export class MetadataInput {
  @Field({
    description:
      'Metadata key: a letter, then letters, digits or dashes (BigBlueButton drops other keys and lowercases the rest). `bbb-interface-app` is refused: it tells applications apart.',
  })
  key!: string;

  @Field({ description: 'The value to set, at most 1000 characters; an empty string removes the key.' })
  value!: string;
}
