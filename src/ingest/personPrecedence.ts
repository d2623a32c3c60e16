/**
 * Which feed's spelling of a person's name the graph shows when feeds disagree: the registries
 * that verify identity documents first (civil affairs checks the 户口簿, poverty relief and the
 * disabled persons' federation theirs), then those that copy it from an application form.
 * The other spellings stay visible per feed (Person.observations, dataQuality).
 *
 * The order is one list, the feed_precedence table (seeded by migration 0010; a new department
 * ranks its feed by a row in its own migration): the rules rank households' feeds by it and
 * ingest ranks names by it, both through weijiu_feed_rank. A feed nobody ranked comes last.
 */
export const BY_FEED_PRECEDENCE = (feedColumn: string): string => `weijiu_feed_rank(${feedColumn})`;
