// Proves @livestage/client works for a third-party frontend: packs web/client (npm pack), installs the tarball into
// an empty project, type-checks a consumer against the installed types (including a line that must NOT compile) and
// runs it with a recording fetch. Run by the Maven build in `integration-test` (after `npm run build`), or
// `npm run test:client` after `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(web, 'client');
if (!existsSync(join(pkg, 'dist', 'index.js'))) {
  console.error('web/client/dist is missing: run `npm run build` in web/ first (it builds the package).');
  process.exit(1);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'livestage-client-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
try {
  run(npm, ['pack', '--silent', '--pack-destination', work], pkg);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  console.log(`packed ${tarball}`);
  const app = join(work, 'app');
  run('mkdir', ['-p', app], work);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(work, tarball)], app);

  writeFileSync(
    join(app, 'consumer.ts'),
    `import { createLivestageClient, type SessionResponse } from '@livestage/client';
const client = createLivestageClient({ baseUrl: 'https://gateway.test', token: async () => 'abc' });
export async function title(id: string): Promise<string | undefined> {
  const { data } = await client.GET('/api/sessions/{id}', { params: { path: { id } } });
  const session: SessionResponse | undefined = data;
  return session?.title;
}
export async function wrong() {
  // @ts-expect-error a path the platform does not serve does not compile
  await client.GET('/api/no-such-path');
}
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true,
        lib: ['ES2022', 'DOM'], skipLibCheck: false, types: [] },
      files: ['consumer.ts'],
    }),
  );
  run(process.execPath, [join(web, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], app);
  console.log('a consumer type-checks against the installed package (and an unknown path does not)');

  writeFileSync(
    join(app, 'consumer.mjs'),
    `import { createLivestageClient } from '@livestage/client';
const seen = [];
const client = createLivestageClient({
  baseUrl: 'https://gateway.test',
  token: async () => 'abc',
  fetch: async (request) => {
    seen.push([request.method, request.url, request.headers.get('authorization')]);
    return new Response(JSON.stringify({ id: 's1', title: 'Friday AMA' }), { headers: { 'content-type': 'application/json' } });
  },
});
const { data } = await client.GET('/api/sessions/{id}', { params: { path: { id: 's1' } } });
const expected = JSON.stringify([['GET', 'https://gateway.test/api/sessions/s1', 'Bearer abc']]);
if (data?.title !== 'Friday AMA' || JSON.stringify(seen) !== expected) {
  console.error('unexpected', JSON.stringify({ data, seen }));
  process.exit(1);
}
`,
  );
  run(process.execPath, ['consumer.mjs'], app);
  console.log('the installed package sends GET /api/sessions/{id} with the bearer token and returns the body');
} finally {
  rmSync(work, { recursive: true, force: true });
}
