import { checkCharacter, idNumber, legacyIdNumber, withWrongCheckCharacter } from '../../src/simulator/idNumber';
import { readIdNumber } from './independentChecks';

describe('simulator ID numbers (GB 11643)', () => {
  it('computes the check character of the standard example', () => {
    // GB 11643-1999's worked example: 11010519491231002X.
    expect(checkCharacter('11010519491231002')).toBe('X');
  });

  it('builds IDs that an independent reader accepts, with the sex in the sequence', () => {
    for (let sequence = 1; sequence < 1000; sequence += 37) {
      const id = idNumber('371002', '19800101', sequence);
      expect(readIdNumber(id)).toEqual({ id });
      expect(Number(id[16]) % 2).toBe(sequence % 2);
    }
  });

  it('writes the 15-digit legacy form that reads back to the same person', () => {
    const id = idNumber('371082', '19561107', 122);
    const legacy = legacyIdNumber(id);
    expect(legacy).toHaveLength(15);
    expect(readIdNumber(legacy)).toEqual({ id });
  });

  it('spoils only the check character', () => {
    const id = idNumber('371003', '20130115', 149);
    for (let pick = 0; pick < 10; pick++) {
      const wrong = withWrongCheckCharacter(id, pick);
      expect(wrong.slice(0, 17)).toBe(id.slice(0, 17));
      expect(readIdNumber(wrong).problem).toBe('BAD_ID_CHECK_DIGIT');
    }
  });
});
