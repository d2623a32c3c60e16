import { GraphQLError } from 'graphql';
import { normaliseIdNumber } from '../identity';
import type { ApiContext } from './context';

/** Client mistakes in arguments become BAD_USER_INPUT errors naming the argument. */
export function badInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
}

const ID_FAULT_TEXT = {
  BAD_ID_FORMAT: 'is not a resident ID number (18 characters, or the 15-digit legacy form)',
  BAD_ID_CHECK_DIGIT: 'has a wrong check digit',
  BAD_ID_BIRTH_DATE: 'has an impossible birth date',
} as const;

export function idNumberArgument(raw: string, argumentName = 'idNumber'): string {
  const id = normaliseIdNumber(raw);
  if (!id.ok) throw badInput(`${argumentName} ${ID_FAULT_TEXT[id.fault]}`, argumentName);
  return id.id;
}

/** A region code must be one of the city's divisions (or the city itself). */
export async function regionArgument(ctx: ApiContext, code: string | null | undefined, argumentName = 'regionCode'): Promise<string | null> {
  if (code === null || code === undefined) return null;
  const trimmed = code.trim();
  if (!/^\d{4}$|^\d{6}$|^\d{9}$|^\d{12}$/.test(trimmed) || !(await ctx.loaders.regionByCode.load(trimmed))) {
    throw badInput(`${argumentName}: unknown region code "${code.slice(0, 20)}"`, argumentName);
  }
  return trimmed;
}

export async function programmeArgument(ctx: ApiContext, codes: string[] | null | undefined, argumentName = 'programme'): Promise<string[] | null> {
  if (!codes || codes.length === 0) return null;
  const found = await ctx.loaders.programmeByCode.loadMany(codes);
  const unknown = codes.filter((_, i) => !found[i] || found[i] instanceof Error);
  if (unknown.length) throw badInput(`${argumentName}: unknown programme ${unknown.map((c) => `"${c.slice(0, 20)}"`).join(', ')}`, argumentName);
  return codes;
}

export function yearArgument(year: number | null | undefined): number | null {
  if (year === null || year === undefined) return null;
  if (year < 1900 || year > 2200) throw badInput('year: out of range', 'year');
  return year;
}
