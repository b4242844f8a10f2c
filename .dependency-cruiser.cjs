/**
 * Layering, checked by `npm run lint` (docs/architecture.md draws it). Each top-level folder of
 * src/ sits in a layer and may import, at run time, only folders of the layers below it: so
 * no two folders depend on each other, and the platform never reaches up into a capability.
 * Type-only imports are exempt (they are erased when compiled): config/config.ts names each
 * capability's settings type to assemble the application's configuration.
 */
const LAYERS = [
  ['kernel', 'types'],
  ['common', 'config', 'sql', 'kafka'],
  ['http'],
  ['auth'],
  ['observability'],
  ['ledger'],
  ['projections', 'outbox', 'verifier'],
  ['deployments', 'alerts', 'freezes', 'services'],
  ['policy'],
  ['changes'],
  ['compliance', 'incidents', 'ingest'],
  ['delivery', 'evidence', 'storage', 'health', 'console'],
];

const folders = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.map((layer, index) => {
  const above = LAYERS.slice(index + 1).flat();
  return layer.map((folder) => ({
    name: `layer-${folder}`,
    comment: `src/${folder}/ may import only the layers below it (${LAYERS.slice(0, index).flat().join(', ') || 'none'})`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: {
      path: [
        ...(above.length > 0 ? [folders(above)] : []),
        ...layer.filter((other) => other !== folder).map((other) => `^src/${other}/`),
        '^src/[^/]+\\.ts$',
      ],
      dependencyTypesNot: ['type-only'],
    },
  }));
}).flat();

module.exports = {
  forbidden: [
    {
      name: 'unlisted-folder',
      comment: 'Every top-level folder of src/ has a place in LAYERS.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+/', pathNot: folders(LAYERS.flat()) },
    },
    ...layerRules,
    {
      name: 'domain-is-pure',
      comment:
        'A domain folder holds the rules as pure functions: no framework, no driver, and nothing from an application, API, adapter or read-model folder.',
      severity: 'error',
      from: { path: '/domain/' },
      to: {
        path: [
          '^node_modules/(@nestjs|pg|@electric-sql|kafkajs|@eventstore|fastify|@fastify|pino|prom-client|class-validator|class-transformer|@grpc|jose)/',
          '/(application|api|adapters|read-model)/',
        ],
      },
    },
    {
      name: 'domain-does-no-io',
      severity: 'error',
      from: { path: '/domain/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|net|http|https|child_process|worker_threads|dgram)$',
      },
    },
    {
      name: 'no-reaching-into-another-capability',
      comment:
        "A capability uses another's domain and the files at its root (its published contract), never its application, API or adapter code. storage/ is where the application chooses its adapters.",
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '^src/storage/' },
      to: { path: '^src/[^/]+/(application|api|adapters)/', pathNot: '^src/$1/' },
    },
    {
      name: 'no-circular',
      comment: 'No module reaches itself through its imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.spec\\.ts$|/fixtures/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
