import { Field, InputType } from 'type-graphql';

@InputType({
  description:
    'One metadata key/value pair, sent to BigBlueButton as `meta_<key>` (createMeeting, updateRecordingMetadata). On a recording an empty value removes the key.',
})
export class MetadataInput {
  @Field({
    description:
      "Metadata key: a letter, then letters, digits or dashes, at most 64 characters (BigBlueButton drops other keys and lowercases the rest). Reserved and refused: the gateway's own keys (`bbb-interface-*`, among them `bbb-interface-app`, which tells applications apart) and callback keys (`endCallbackUrl`, `*-recording-ready-url`, `*-callback-url`).",
  })
  key!: string;

  @Field({
    description:
      'The value, at most 1000 characters, no control characters; on a recording an empty string removes the key.',
  })
  value!: string;
}
