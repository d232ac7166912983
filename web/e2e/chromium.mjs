// Finds the Chromium the end-to-end tests and the web benchmark drive (playwright-core never downloads a browser here).
//
// Order: $CHROMIUM_PATH (must exist), then `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on
// the PATH (Debian's package installs /usr/bin/chromium). When none is found and this process runs as root on a
// machine with apt-get, it runs `apt-get install -y chromium` (after `apt-get update` if the package is unknown) and
// looks again; otherwise it throws, naming the exact command to run. Never a silent skip.
//
//   node web/e2e/chromium.mjs          prints the path (and installs as above): a quick check
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of NAMES on the PATH, or null. */
export function onPath(env = process.env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of NAMES) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return null;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasAptGet() {
  return onPathNamed('apt-get') !== null;
}

function onPathNamed(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

function apt(args, log) {
  log(`[e2e] apt-get ${args.join(' ')}`);
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/**
 * The path of a Chromium to drive. Throws with the command to run when there is none and it cannot install one.
 * `log` receives progress lines (stderr by default: stdout may be a control channel).
 */
export function findChromium({ log = (line) => process.stderr.write(line + '\n'), install = true } = {}) {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured) || !executable(configured)) {
      throw new Error(`CHROMIUM_PATH=${configured} is not an executable file: point it at a Chromium or Chrome binary, or unset it.`);
    }
    return configured;
  }
  const found = onPath();
  if (found) return found;
  const howTo = 'Install Chromium: sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.';
  if (!install) {
    throw new Error(`No Chromium found (looked for ${NAMES.join(', ')} on the PATH). ${howTo}`);
  }
  if (!isRoot() || !hasAptGet()) {
    throw new Error(
      `No Chromium found (looked for ${NAMES.join(', ')} on the PATH) and this process cannot install one ` +
        `(${isRoot() ? 'no apt-get' : 'not root'}). ${howTo}`,
    );
  }
  log('[e2e] no Chromium on the PATH: installing Debian\'s chromium package (apt-get install -y chromium)');
  if (!apt(['install', '-y', '--no-install-recommends', 'chromium'], log)) {
    // a fresh container has no package lists yet
    if (!apt(['update'], log) || !apt(['install', '-y', '--no-install-recommends', 'chromium'], log)) {
      throw new Error(`apt-get could not install chromium. ${howTo}`);
    }
  }
  const installed = onPath();
  if (!installed) {
    throw new Error(`apt-get installed chromium, but no ${NAMES.join('/')} is on the PATH. ${howTo}`);
  }
  return installed;
}

/** The version line of the browser (e.g. "Chromium 131.0.6778.85 built on Debian ..."), for reports. */
export function chromiumVersion(path) {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch (e) {
    return `unknown (${e.message.split('\n')[0]})`;
  }
}

/**
 * Launch arguments: fake camera and microphone (a test pattern and a beep) granted without a prompt, so a speaker's
 * microphone works headless; no sandbox when running as root (Chromium refuses to start otherwise).
 */
export function chromiumArgs() {
  const args = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
  if (isRoot()) args.push('--no-sandbox');
  return args;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const path = findChromium();
    console.log(`${path} (${chromiumVersion(path)})`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
