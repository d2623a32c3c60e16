/**
 * Which feed's spelling of a person's name the graph shows when feeds disagree: the registries
 * that verify identity documents first (civil affairs checks the 户口簿, poverty relief and the
 * disabled persons' federation theirs), then those that copy it from an application form.
 * The other spellings stay visible per feed (Person.observations, dataQuality). The rules rank
 * households' feeds in the same order: the feed_precedence table (migration 0010), kept equal to
 * this list by tests/rules/concepts.test.ts.
 */
export const NAME_PRECEDENCE = [
  'civil-affairs',
  'poverty-relief',
  'disability',
  'health',
  'housing',
  'education',
  'economic-check',
] as const;
