/** A migrated database with the Weihai regions, of this test file's own, opened as the hub opens it. */
export { openCaseDatabase as openTestDatabase } from '../../src/rules/cases/caseDatabase';
