/** A database of one's own for a test: the same template copy the rules' case tables use. */
export { copyTemplateDatabase as createTestDatabase, type TemplateCopy as TestDatabase } from '../../src/rules/cases/caseDatabase';
