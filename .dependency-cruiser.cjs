/**
 * The layers of devin-slack, checked on every `npm run lint`. Transport (slack/) and peers (devin/, store/) sit at
 * the edges; the domain (relay/) in the middle declares the ports they meet it through (relay/ports/) and the plain
 * data those carry (relay/model/). Type-only imports count: a type is a dependency too.
 * See docs/architecture.md for the picture this file draws (`npm run graph`).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No file reaches itself through its imports: one of the two is really an event or a port.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'No folder reaches itself through its files: each folder is on one side of every other.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'Every file is reached from an entry point (index.ts, cli.ts); a file nothing imports is dead.',
      severity: 'error',
      from: { orphan: true, pathNot: ['^src/index\\.ts$', '^src/cli\\.ts$'] },
      to: {},
    },
    {
      name: 'domain-speaks-no-slack',
      comment: "The domain never imports Slack's SDK: it talks to Slack through its ports.",
      severity: 'error',
      from: { path: '^src/relay/' },
      to: { path: '(^|/)node_modules/@slack/' },
    },
    {
      name: 'domain-imports-no-adapter',
      comment:
        'The domain imports only itself and lib/: Slack, Devin, the store, ops and the configuration come in through its ports.',
      severity: 'error',
      from: { path: '^src/relay/' },
      to: { path: '^src/', pathNot: '^src/(relay|lib)/' },
    },
    {
      name: 'domain-and-peers-never-reach-slack',
      comment:
        "Through any chain of imports, the domain, Devin's clients and the store never reach Slack's SDK, the Slack side, ops or the app.",
      severity: 'error',
      from: { path: '^src/(relay|devin|store)/' },
      to: { path: ['(^|/)node_modules/@slack/', '^src/(slack|ops|app)/', '^src/(index|cli)\\.ts$'], reachable: true },
    },
    {
      name: 'ports-stand-alone',
      comment:
        "The ports and the domain's data import nothing of the domain's services: adapters can import them alone.",
      severity: 'error',
      from: { path: '^src/relay/(ports|model)/' },
      to: { path: '^src/', pathNot: '^src/(relay/ports|relay/model|lib)/' },
    },
    {
      name: 'adapters-see-only-port-types',
      comment: "Devin's clients and the store backends import nothing of the domain but its ports and data.",
      severity: 'error',
      from: { path: '^src/(devin|store)/' },
      to: { path: '^src/relay/', pathNot: '^src/relay/(ports|model)/' },
    },
    {
      name: 'devin-stays-apart',
      comment: "Devin's clients know nothing of the store, of Slack, of ops or of the app.",
      severity: 'error',
      from: { path: '^src/devin/' },
      to: { path: '^src/(store|slack|ops|app)/' },
    },
    {
      name: 'store-stays-apart',
      comment: 'The store backends know nothing of Devin, of Slack, of ops or of the app.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(devin|slack|ops|app)/' },
    },
    {
      name: 'slack-reaches-peers-through-the-domain',
      comment: 'The Slack side reaches Devin and the store only through the domain and its ports.',
      severity: 'error',
      from: { path: '^src/slack/' },
      to: { path: '^src/(devin|store|app)/' },
    },
    {
      name: 'lib-is-a-leaf',
      comment: 'lib/ holds small tools (clock, backoff, deadlines, caches, logger) that import nothing of the app.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'net-and-config-are-low',
      comment: 'Where requests may go, and what the configuration says, depend on nothing above them.',
      severity: 'error',
      from: { path: '^src/(net|config)/' },
      to: { path: '^src/(relay/(?!model/)|slack|devin|store|ops|app)' },
    },
    {
      name: 'ops-below-the-edges',
      comment: 'Metrics, readiness, the audit trail and the doctor never reach into the Slack side or the app.',
      severity: 'error',
      from: { path: '^src/ops/' },
      to: { path: '^src/(slack|app)/' },
    },
    {
      name: 'only-the-entry-points-build-the-app',
      comment: 'The composition root (app/) is started from index.ts and cli.ts only.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(index|cli)\\.ts$|^src/app/' },
      to: { path: '^src/app/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: {
      mermaid: { minify: false },
    },
  },
};
