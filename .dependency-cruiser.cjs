// The layering rules of src/ (issue 8): each folder under src/ is a pipeline stage.
// `npm run lint:layers` (scripts/check-layers.ts) cruises src/ with these rules, then checks
// what dependency-cruiser cannot: cycles between folders, and clock reads in detect/ and classify/.
// Tests (*.test.ts, test/, bench/, fixtures/, scripts/) may import anything: they are not cruised.

/** Node builtins that do I/O, as dependency-cruiser names them (with or without `node:`). */
const ioBuiltins = ['fs', 'net', 'http', 'https', 'http2', 'tls', 'dns', 'child_process', 'dgram', 'worker_threads'];
/** Builtins that hand out a clock under any name (`import { performance as p }`), out of the clock check's sight. */
const clockBuiltins = ['perf_hooks'];
/** npm packages that talk to Redis, SMTP or InfluxDB. */
const ioPackages = ['ioredis', 'bullmq', 'nodemailer', 'influx', '@influxdata/influxdb-client'];
/** src/ folders whose modules do I/O or own a process. */
const ioFolders = ['capture', 'sinks', 'queue', 'worker', 'email', 'daemon', 'cli', 'web', 'metrics', 'state'];
/** What the worker may import from src/ besides itself (inventory: types only, see below). */
const workerMayImport = ['email', 'config', 'common', 'telemetry', 'inventory'];

const notTest = '\\.test\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-unresolvable',
      comment: 'An import the cruiser cannot resolve is one no rule can check.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'decode-imports-only-common',
      comment: 'The decoder is the hot path and the base of the pipeline: it sees only common/, no builtin, no package.',
      severity: 'error',
      from: { path: '^src/decode/', pathNot: notTest },
      to: { pathNot: '^src/(decode|common)/' },
    },
    {
      name: 'common-imports-no-stage',
      comment: 'common/ is under every stage: it imports no other src/ folder.',
      severity: 'error',
      from: { path: '^src/common/', pathNot: notTest },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'detect-classify-no-io',
      comment:
        'Detection and classification are pure functions of packets and the inventory: no file, socket, process, Redis, SMTP or clock, ' +
        'not even through another module (reachable: an import of config/load.ts, which reads files, counts).',
      severity: 'error',
      from: { path: '^src/(detect|classify)/', pathNot: notTest },
      to: {
        reachable: true,
        path: [
          `^(node:)?(${[...ioBuiltins, ...clockBuiltins].join('|')})(/|$)`,
          `(^|/)node_modules/(${ioPackages.join('|')})/`,
          `^src/(${ioFolders.join('|')})/`,
        ],
      },
    },
    {
      name: 'worker-internals-private',
      comment: 'Only the `worker` command (src/cli/) starts the worker; sinks and the email transports go through src/email/.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/(worker|cli)/', notTest] },
      to: { path: '^src/worker/' },
    },
    {
      name: 'worker-imports-only-email-side',
      comment: `The worker imports from src/ only ${workerMayImport.join(', ')}: never capture, decode, detect, classify, pipeline, daemon, sinks, incidents or queue.`,
      severity: 'error',
      from: { path: '^src/worker/', pathNot: notTest },
      to: { path: '^src/', pathNot: `^src/(worker|${workerMayImport.join('|')})/` },
    },
    {
      name: 'worker-inventory-types-only',
      comment: 'The worker renders what the job carries: from the inventory it needs types (Locale), not the loader or the index.',
      severity: 'error',
      from: { path: '^src/worker/', pathNot: notTest },
      to: { path: '^src/inventory/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    exclude: { path: notTest },
    doNotFollow: { path: 'node_modules' },
    // type-only imports are dependencies too: a cycle through types still ties two folders together
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
