/**
 * The hub's layers (README.md, "Layers"), enforced by `npm test`: a module imports only from
 * layers below its own, never from a sibling on its level, and nothing imports in a circle.
 * Type-only imports count: they are arrows of the design even though they compile away.
 */
const LAYER_PATHS = {
  cli: '^src/cli/',
  hub: '^src/hub\\.ts$',
  api: '^src/api/',
  server: '^src/server/',
  scheduler: '^src/scheduler/',
  auth: '^src/auth/',
  connectors: '^connectors/',
  rules: '^src/rules/',
  ingest: '^src/ingest/',
  db: '^src/db/',
  graph: '^src/graph/',
  config: '^src/config/',
  logging: '^src/logging/',
  identity: '^src/identity/',
};

/** Top to bottom; layers on one level do not import each other. */
const LEVELS = [
  ['cli'],
  ['hub'],
  ['api', 'server', 'scheduler'],
  ['auth'],
  ['connectors'],
  ['rules', 'ingest'],
  ['db'],
  ['graph'],
  ['config', 'logging'],
  ['identity'],
];

/** Tests beside the code (src/rules/<code>/<code>.test.ts) may reach anything, as tests/ may. */
const TEST_FILE = '\\.test\\.ts$';
/**
 * A rule's cases (policy tests as data, src/rules/<code>/<code>.cases.ts) and their harness
 * (src/rules/cases/) load each situation through the real connectors and ingest: they sit above
 * those, apart from the rules themselves, and only tests use them.
 */
const RULE_CASES = '^src/rules/cases/|\\.cases\\.ts$';
const SIMULATOR = '^src/simulator/';
const DEMO_COMMAND = '^src/cli/demoCommand\\.ts$';

const either = (names) => names.map((n) => LAYER_PATHS[n]);

const layerRules = LEVELS.flatMap((level, rank) =>
  level.flatMap((layer) => {
    const below = LEVELS.slice(rank + 1).flat();
    const notBelow = Object.keys(LAYER_PATHS).filter((n) => n !== layer && !below.includes(n));
    // the top layer may import every other (an empty list would match everything)
    if (!notBelow.length) return [];
    return {
      name: `layer-${layer}`,
      comment: `${layer} imports only from the layers below it: ${below.join(', ') || 'none'}`,
      severity: 'error',
      from: { path: LAYER_PATHS[layer], pathNot: [TEST_FILE, RULE_CASES] },
      to: { path: either(notBelow) },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'modules that import each other, directly or through others',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'layer-rule-cases',
      comment: 'rule cases load situations through connectors and ingest; they use nothing above those',
      severity: 'error',
      from: { path: RULE_CASES, pathNot: TEST_FILE },
      to: { path: either(['cli', 'hub', 'api', 'server', 'scheduler', 'auth']) },
    },
    {
      name: 'rule-cases-for-tests-only',
      comment: 'the hub never loads a rule case: they are test data',
      severity: 'error',
      from: { path: '^(src|connectors)/', pathNot: [RULE_CASES, TEST_FILE] },
      to: { path: RULE_CASES },
    },
    {
      name: 'layer-unknown',
      comment: 'every folder of src/ has its place in the layers: add a new one to LAYER_PATHS and LEVELS',
      severity: 'error',
      from: { path: '^(src|connectors)/', pathNot: [...Object.values(LAYER_PATHS), SIMULATOR, TEST_FILE] },
      to: {},
    },
    {
      name: 'simulator-apart',
      comment: 'the simulator stands for the departments: it uses nothing of the hub but src/identity',
      severity: 'error',
      from: { path: SIMULATOR },
      to: { path: '^(src|connectors)/', pathNot: [SIMULATOR, LAYER_PATHS.identity] },
    },
    {
      name: 'simulator-only-in-demo',
      comment: 'only the demo command starts the simulator',
      severity: 'error',
      from: { path: '^(src|connectors)/', pathNot: [SIMULATOR, DEMO_COMMAND, TEST_FILE] },
      to: { path: SIMULATOR },
    },
    {
      name: 'demo-loaded-lazily',
      comment: 'the demo (and with it the simulator) is loaded by a dynamic import, only when `weijiu demo` runs',
      severity: 'error',
      from: { path: '^(src|connectors)/', pathNot: TEST_FILE },
      to: { path: DEMO_COMMAND, dynamic: false },
    },
    {
      name: 'not-to-tests',
      comment: 'the hub and its connectors never import test code',
      severity: 'error',
      from: { path: '^(src|connectors)/', pathNot: TEST_FILE },
      to: { path: '^tests/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: ['node_modules', '^tests/'] },
  },
};
