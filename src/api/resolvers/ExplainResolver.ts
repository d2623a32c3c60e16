import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { badInput, idNumberArgument } from '../argumentChecks';
import { scopedRegionArgument } from '../scopeChecks';
import { DateScalar } from '../scalars';
import { FindingType, RecipientCategory, RuleType } from '../types/Finding';
import { ExplanationType, RuleConditionType } from '../types/Explanation';
import { explanationFor, findingTraces, ruleDefinitionOf } from '../explanations';
import { ruleCatalogue } from '../../rules/catalogue';
import { categoryRule } from '../../rules/categories/categoryConditions';
import type { RuleDefinition, SubjectType } from '../../rules/engine/ruleDefinition';
import { ItemRequired, traceRule } from '../../rules/engine/traceRule';
import { describeViewer, forbidden, seesIdentities } from '../../auth/policy';

const SUBJECT_ARGUMENT: Record<SubjectType, string> = { person: 'idNumber', household: 'householdId', region: 'regionCode' };

/** api.md "Explain: why, and why not" (说明): a rule's conditions for one subject, and on every finding. */
@Resolver()
export class ExplainResolver {
  // Who may call it is in src/auth/fieldVisibility.ts; the subject is looked up in the reader's scope
  // exactly as person(idNumber:) and household(id:) look it up.
  @Query(() => ExplanationType, {
    description:
      'Why a rule holds for a person (idNumber), household (householdId) or region (regionCode, R1–R4) as of a date, or why not: every condition with its outcome, the values compared, the parameter rows and the source records. `item` as in the finding identity (required where the rule’s identity has one, but G4, G5, R1–R4 default to the newest term or the year of asOf).',
  })
  async explain(
    @Ctx() ctx: ApiContext,
    @Arg('idNumber', () => String, { nullable: true }) idNumber?: string | null,
    @Arg('householdId', () => ID, { nullable: true }) householdId?: string | null,
    @Arg('regionCode', () => String, { nullable: true }) regionCode?: string | null,
    @Arg('rule', () => String, { nullable: true, description: 'D1 … D6, G1 … G9, R1 … R4' }) ruleCode?: string | null,
    @Arg('item', () => String, { nullable: true }) item?: string | null,
    @Arg('category', () => RecipientCategory, { nullable: true, description: 'one of the nine categories, instead of a rule: why the person is in it on asOf, or not' }) category?: RecipientCategory | null,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'default today' }) asOf?: string | null,
  ): Promise<ExplanationType> {
    const given = ([['idNumber', idNumber], ['householdId', householdId], ['regionCode', regionCode]] as const).filter(([, v]) => v !== null && v !== undefined);
    if (given.length !== 1) throw badInput('name exactly one subject: idNumber, householdId or regionCode', given[1]?.[0] ?? 'idNumber');
    if ((ruleCode ? 1 : 0) + (category ? 1 : 0) !== 1) throw badInput('name exactly one of rule and category', ruleCode ? 'category' : 'rule');
    if (item !== null && item !== undefined && (item.length === 0 || item.length > 100)) throw badInput('item: empty or too long', 'item');
    const subjectType: SubjectType = idNumber != null ? 'person' : householdId != null ? 'household' : 'region';
    // a department walks the one person it looked up by ID number, never a household or a region
    if (ctx.viewer.role === 'DEPARTMENT' && subjectType !== 'person') {
      throw forbidden(`explain(${SUBJECT_ARGUMENT[subjectType]}:): ${describeViewer(ctx.viewer)} explains only a person it looks up by ID number`);
    }
    const day = asOf ?? ctx.today;

    // a category is a person's (rules.md's nine): explained by its conditions as a rule is
    if (category && subjectType !== 'person') throw badInput('category: a category is explained for a person (idNumber)', SUBJECT_ARGUMENT[subjectType]);
    const rule = category ? categoryRule(category) : ruleArgument(ruleCode!, subjectType);

    const subjectId = await subjectArgument(ctx, subjectType, { idNumber, householdId, regionCode });
    if (rule.item && !rule.item.default && !item) throw badInput(`item: rule ${rule.code} is explained for one ${rule.item.text}; name it`, 'item');
    try {
      const trace = await traceRule(ctx.hub.pool, rule, { asOf: day, city: ctx.hub.config.city, subjectId, item: item ?? null });
      return explanationFor(ctx.viewer, trace, day);
    } catch (e) {
      if (e instanceof ItemRequired) throw badInput(e.message, 'item');
      throw e;
    }
  }
}

/** The rule's definition for the subject named; a client's mistake is BAD_USER_INPUT. */
function ruleArgument(code: string, subjectType: SubjectType): RuleDefinition {
  const trimmed = code.trim().toUpperCase();
  const definitions = ruleCatalogue.filter((r) => r.code === trimmed);
  if (!definitions.length) throw badInput(`rule: unknown rule "${code.slice(0, 10)}"`, 'rule');
  const rule = ruleDefinitionOf(trimmed, subjectType);
  if (!rule) {
    const about = definitions.map((r) => `${r.subjectType} (${SUBJECT_ARGUMENT[r.subjectType]})`).join(' or ');
    throw badInput(`rule ${trimmed} is about a ${about}, not a ${subjectType}`, SUBJECT_ARGUMENT[subjectType]);
  }
  return rule;
}

/**
 * The subject's id, looked up in the reader's scope as person(idNumber:) and household(id:) are: one
 * outside a town's region is answered exactly as one nobody holds. The read is audited as a read
 * of the person or household.
 */
async function subjectArgument(
  ctx: ApiContext,
  type: SubjectType,
  args: { idNumber?: string | null; householdId?: string | null; regionCode?: string | null },
): Promise<string> {
  if (type === 'person') {
    const person = await ctx.loaders.personByIdNumber.load(idNumberArgument(args.idNumber!));
    if (!person) throw badInput('idNumber: no person is known by this ID number', 'idNumber');
    ctx.audited.persons.add(person.id);
    return person.id;
  }
  if (type === 'household') {
    const id = args.householdId!.trim();
    const household = /^\d{1,18}$/.test(id) ? await ctx.loaders.householdById.load(id) : null;
    if (!household) throw badInput('householdId: no household is known by this id', 'householdId');
    ctx.audited.households.add(household.id);
    return household.id;
  }
  return (await scopedRegionArgument(ctx, args.regionCode))!;
}

@Resolver(() => FindingType)
export class FindingExplanationResolver {
  @FieldResolver(() => ExplanationType, {
    nullable: true,
    description:
      'the trace of the finding’s rule for its subject and item as of the run’s date (asOf): every condition and its outcome (null for a rule not yet written as named conditions)',
  })
  async explanation(@Root() f: FindingType, @Ctx() ctx: ApiContext): Promise<ExplanationType | null> {
    const trace = await findingTraces(ctx).load(f);
    if (!trace) return null;
    // as the finding's evidence: whom it is about, where the reader may see them
    return explanationFor(ctx.viewer, trace, f.asOf, seesIdentities(ctx.viewer) && f.subjectInScope !== false);
  }
}

@Resolver(() => RuleType)
export class RuleConditionsResolver {
  @FieldResolver(() => [RuleConditionType], { description: 'its conditions (names stable, sentences in Chinese); empty for a rule not yet written as conditions' })
  conditions(@Root() r: RuleType): RuleConditionType[] {
    const seen = new Set<string>();
    return ruleCatalogue
      .filter((d) => d.code === r.code)
      .flatMap((d) => d.conditions ?? [])
      .filter((c) => !seen.has(c.name) && !!seen.add(c.name))
      .map((c) => ({ name: c.name, text: c.text, clause: c.clause ?? null, parameters: [...(c.parameters ?? [])] }));
  }
}
