// The import rules of mlspec (README, Design). `npm run lint` checks them; a wrong arrow fails
// the build. Stages of the compiler import only stages before them in this order:
//   schema → load → validate → resolve → render → policy → emit → pipeline → experiment → review
//   → audit
//   → (cli, init)
const STAGES = [
  'schema',
  'load',
  'validate',
  'resolve',
  'render',
  'policy',
  'emit',
  'pipeline',
  'experiment',
  'review',
  'audit',
];
const TOP = ['cli/', 'init/'];

const laterThan = (i) => [...STAGES.slice(i + 1).map((s) => `${s}/`), ...TOP];
const stageRules = STAGES.map((stage, i) => ({
  name: `stage-order-${stage}`,
  comment: `compiler/${stage} may import only stages before it`,
  severity: 'error',
  from: { path: `^compiler/${stage}/` },
  to: { path: `^compiler/(${laterThan(i).join('|')})` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-the-bottom',
      comment: 'core/ is shared by the compiler and the runtime and imports neither.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(compiler|runtime|test|bench)/' },
    },
    {
      name: 'runtime-not-to-compiler',
      comment: 'The runtime ships as its own process: it must not need the compiler.',
      severity: 'error',
      from: { path: '^runtime/' },
      to: { path: '^(compiler|test|bench)/' },
    },
    {
      name: 'runtime-contract-is-self-contained',
      comment: "The runtime's published contract (config schema, metric names) needs only core/.",
      severity: 'error',
      from: { path: '^runtime/contract/' },
      to: { path: '^runtime/(?!contract/)' },
    },
    {
      name: 'compiler-only-to-runtime-contract',
      comment: "The compiler depends on the runtime's published contract, nothing else of it.",
      severity: 'error',
      from: { path: '^compiler/', pathNot: '^compiler/cli/serve\\.ts$' },
      to: { path: '^runtime/(?!contract/)' },
    },
    {
      name: 'serve-starts-the-runtime',
      comment: '`mlspec serve` starts the runtime through its entry point only.',
      severity: 'error',
      from: { path: '^compiler/cli/serve\\.ts$' },
      to: { path: '^runtime/(?!contract/|main\\.ts$)' },
    },
    {
      name: 'rego-is-self-contained',
      comment: 'The Rego engine is a library: it imports nothing outside its folder.',
      severity: 'error',
      from: { path: '^compiler/rego/' },
      to: { path: '^(core|compiler|runtime)/', pathNot: '^compiler/rego/' },
    },
    {
      name: 'rego-has-one-door',
      comment: 'Outside compiler/rego, product code uses the engine through engine.ts only.',
      severity: 'error',
      from: { path: '^(compiler|runtime)/', pathNot: '^compiler/rego/' },
      to: { path: '^compiler/rego/', pathNot: '^compiler/rego/engine\\.ts$' },
    },
    {
      name: 'rego-ast-is-the-bottom',
      comment: 'The parser and AST know nothing of the layers built on them.',
      severity: 'error',
      from: { path: '^compiler/rego/ast/' },
      to: { path: '^compiler/rego/(compile|eval|builtins|tester)/|^compiler/rego/(engine|loader|format)\\.ts$' },
    },
    {
      name: 'render-concepts-are-independent',
      comment: 'A render concept imports building blocks (render/base), never another concept.',
      severity: 'error',
      from: { path: '^compiler/render/(serving|features|training|monitoring)/' },
      to: {
        path: '^compiler/render/(serving|features|training|monitoring)/',
        pathNot: '^compiler/render/$1/',
      },
    },
    ...stageRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
  },
};
