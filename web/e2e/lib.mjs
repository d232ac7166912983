// Shared by run.mjs (the end-to-end tests) and bench.mjs (the web benchmark): Chromium, sign-in through Keycloak,
// the control channel to the Java harness, axe-core checks and screenshots.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumVersion, findChromium } from './chromium.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

export function log(line) {
  process.stderr.write(`[e2e] ${line}\n`);
}

/** Required environment: fails with the variable's name. */
export function env(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set (the Java harness sets it; see web/e2e/README.md)`);
  }
  return value;
}

export async function launch() {
  const executablePath = findChromium({ log });
  log(`browser: ${executablePath} (${chromiumVersion(executablePath)})`);
  return chromium.launch({ executablePath, args: chromiumArgs(), headless: true });
}

/**
 * The control channel to the Java harness: a request is one stdout line `@@e2e {"id":n,"op":...}`; the harness
 * answers with one stdin line `{"id":n,"ok":true|false,"error":"..."}`. Used for what an SFU would do (the harness
 * drives the LiveKit stub). Without a harness (E2E_CONTROL=off) every request fails: no silent pass.
 */
export class Control {
  constructor() {
    this.next = 1;
    this.pending = new Map();
    this.enabled = process.env.E2E_CONTROL !== 'off';
    if (this.enabled) {
      this.rl = createInterface({ input: process.stdin });
      this.rl.on('line', (line) => {
        let answer;
        try {
          answer = JSON.parse(line);
        } catch {
          log(`ignoring a control answer that is not JSON: ${line}`);
          return;
        }
        const waiter = this.pending.get(answer.id);
        if (!waiter) return;
        this.pending.delete(answer.id);
        if (answer.ok) waiter.resolve(answer);
        else waiter.reject(new Error(`harness: ${answer.op ?? ''} failed: ${answer.error}`));
      });
    }
  }

  request(op, fields = {}, timeoutMs = 60_000) {
    if (!this.enabled) return Promise.reject(new Error(`control request ${op} needs the Java harness (E2E_CONTROL=off)`));
    const id = this.next++;
    const message = { id, op, ...fields };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`harness did not answer ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (a) => (clearTimeout(timer), resolve(a)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      process.stdout.write(`@@e2e ${JSON.stringify(message)}\n`);
    });
  }

  close() {
    this.rl?.close();
  }
}

/** Screenshots and axe reports under one directory, numbered in the order taken. */
export class Artifacts {
  constructor(dir) {
    this.dir = dir;
    this.n = 0;
    mkdirSync(dir, { recursive: true });
  }

  async shot(page, name) {
    this.n += 1;
    const file = join(this.dir, `${String(this.n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    log(`screenshot ${file}`);
    return file;
  }

  write(name, content) {
    const file = join(this.dir, name);
    writeFileSync(file, content);
    return file;
  }
}

/**
 * axe-core (WCAG 2.x A/AA rules and best practices) on the page as it is now; throws when a violation is serious or
 * critical, listing rule, impact and the first targets. Minor and moderate ones are written to the report only.
 * axe runs through the DevTools protocol (page.evaluate), so the app's Content-Security-Policy stays in force.
 */
export async function axeCheck(page, artifacts, name) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  artifacts.write(`axe-${name}.json`, JSON.stringify(result, null, 2));
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  log(`axe ${name}: ${result.length} violation(s), ${bad.length} serious/critical`);
  if (bad.length > 0) {
    const lines = bad.map((v) => `  ${v.impact} ${v.id} (${v.help}): ${v.targets.map((t) => t.target).join(' | ')}`);
    throw new Error(`axe: serious/critical accessibility violations on ${name}:\n${lines.join('\n')}`);
  }
  return result;
}

/**
 * Signs `user` in as a person does: the header's "Sign in" button, the realm's Keycloak login page (#username,
 * #password, #kc-login), and back to the page they were on, signed in.
 */
export async function signIn(page, user, password, { artifacts, shotName } = {}) {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('#username').waitFor({ timeout: 30_000 });
  if (!page.url().includes('/realms/livestage/')) {
    throw new Error(`Sign in did not lead to the livestage realm's login page but to ${page.url()}`);
  }
  if (artifacts && shotName) await artifacts.shot(page, shotName);
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
  await page.getByText(/^Signed in as /).waitFor({ timeout: 30_000 });
}

/** Fails with the page's URL and visible text when `promise` rejects: what went wrong, as the browser saw it. */
export async function step(page, name, fn) {
  const t0 = Date.now();
  try {
    const value = await fn();
    log(`ok   ${name} (${Date.now() - t0} ms)`);
    return value;
  } catch (e) {
    let text = '';
    try {
      const file = join(process.env.E2E_ARTIFACTS ?? '.', `FAILED-${name.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 60)}.png`);
      await page.screenshot({ path: file, fullPage: true });
      log(`screenshot of the failure: ${file}`);
      text = (await page.locator('body').innerText({ timeout: 2_000 })).slice(0, 1500);
    } catch {
      // the page is gone
    }
    const error = new Error(`step "${name}" failed at ${page.url()}: ${e.message}\n--- page text ---\n${text}`);
    error.cause = e;
    throw error;
  }
}

/** The payload of a JWT (no verification: the browser's own token, to learn its LiveKit room and identity). */
export function jwtPayload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}
