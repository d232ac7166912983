// The web app end to end in Chromium against the real local stack (see web/e2e/README.md). Run by the Java harness
// (devstack's FullStackTest), which starts the stack with Keycloak, points the services at the LiveKit and Gladia
// contract stubs and answers this script's control requests (what an SFU would do). Exit 0 only when every step
// passed; any failed step, missing element or serious/critical axe violation exits 1 with what the browser saw.
//
// Environment: E2E_BASE_URL (the gateway, e.g. http://localhost:8080), E2E_ARTIFACTS (screenshots and axe reports),
// E2E_SCENARIOS (comma-separated, default "smoke,room,phone"), E2E_ANALYTICS_SESSION (a session of alice's for the
// smoke scenario's dashboard), E2E_RUN (a tag for titles), CHROMIUM_PATH (optional, see chromium.mjs).
import { bench as measure } from './bench.mjs';
import { Artifacts, Control, DESKTOP, PHONE, axeCheck, env, launch, log, signIn, step } from './lib.mjs';

const BASE = env('E2E_BASE_URL').replace(/\/$/, '');
const artifacts = new Artifacts(env('E2E_ARTIFACTS'));
const scenarios = env('E2E_SCENARIOS', 'smoke,room,phone').split(',').map((s) => s.trim()).filter(Boolean);
const RUN = env('E2E_RUN', Date.now().toString(36));
const control = new Control();

const USERS = {
  alice: { password: 'alice', name: 'Alice Host' },
  bob: { password: 'bob', name: 'Bob Viewer' },
  carol: { password: 'carol', name: 'Carol Viewer' },
};
const LONG = 60_000;

/**
 * What an SFU would see: a browser that got a LiveKit token connects to the room. The stub cannot take a WebRTC
 * connection, so the harness joins the participant to the stub's room and sends LiveKit's signed participant_joined
 * webhook to token-service; `leaveAll` sends participant_left for each. Requests are awaited at `settle`.
 */
class Sfu {
  constructor() {
    this.joined = new Map();
    this.inFlight = [];
  }

  watch(page) {
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname !== '/api/tokens' || response.request().method() !== 'POST' || !response.ok()) return;
      this.inFlight.push(
        response.json().then(
          (issued) => {
            const key = `${issued.room} ${issued.identity}`;
            if (this.joined.has(key)) return undefined;
            this.joined.set(key, issued);
            return control.request('sfu-join', { room: issued.room, identity: issued.identity, name: issued.name ?? '' });
          },
          // The page navigated away before its token's body could be read (Chromium drops it): that browser never
          // connected with it. The room asks for a fresh token on its next media attempt, which joins then.
          () => undefined,
        ),
      );
    });
  }

  async settle() {
    const pending = this.inFlight;
    this.inFlight = [];
    await Promise.all(pending);
  }

  async leaveAll(room) {
    await this.settle();
    for (const [key, issued] of this.joined) {
      if (issued.room !== room) continue;
      this.joined.delete(key);
      await control.request('sfu-leave', { room: issued.room, identity: issued.identity, name: issued.name ?? '' });
    }
  }
}
const sfu = new Sfu();

async function newPage(browser, device) {
  const context = await browser.newContext({ ...device, baseURL: BASE });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => log(`page error (${page.url()}): ${e.message}`));
  sfu.watch(page);
  return page;
}

async function sessionOf(page, slug) {
  return page.evaluate(async (ref) => {
    const r = await fetch(`/api/sessions/by-slug/${ref}`, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`GET /api/sessions/by-slug/${ref}: ${r.status}`);
    return r.json();
  }, slug);
}

// ---------------------------------------------------------------------------------------------------------------
// smoke: what exists without the room: sign-in through Keycloak, Discover, a session's analytics dashboard

async function smoke(browser) {
  const page = await newPage(browser, DESKTOP);
  await step(page, 'Discover, anonymous', async () => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Discover' }).waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await artifacts.shot(page, 'discover-anonymous');
    await axeCheck(page, artifacts, 'discover-anonymous');
  });
  await step(page, 'alice signs in through the realm\'s Keycloak login page', async () => {
    await signIn(page, 'alice', USERS.alice.password, { artifacts, shotName: 'keycloak-login' });
    await page.getByText(/^Signed in as (alice|Alice Host)$/).waitFor();
    if (new URL(page.url()).pathname !== '/') throw new Error(`not back on Discover but on ${page.url()}`);
    await artifacts.shot(page, 'discover-signed-in');
    await axeCheck(page, artifacts, 'discover-signed-in');
  });
  const id = env('E2E_ANALYTICS_SESSION');
  await step(page, 'the host opens a session\'s analytics dashboard', async () => {
    await page.goto(`/sessions/${id}/analytics`);
    await page.getByRole('heading', { level: 1, name: /: analytics$/ }).waitFor({ timeout: LONG });
    await page.getByText('Unique viewers').first().waitFor();
    await artifacts.shot(page, 'session-analytics');
    await axeCheck(page, artifacts, 'session-analytics');
  });
  await page.context().close();
}

// ---------------------------------------------------------------------------------------------------------------
// the room, as host and listener

async function createSession(host, title, { record, transcribe }) {
  await host.goto('/sessions/new');
  await host.getByRole('heading', { level: 1, name: 'New session' }).waitFor();
  await axeCheck(host, artifacts, `create-form-${title.startsWith('Phone') ? 'phone-run' : 'room-run'}`);
  await host.getByLabel('Title', { exact: true }).fill(title);
  await host.getByLabel('Description', { exact: true }).fill('Created by the end-to-end test in Chromium.');
  await host.getByLabel('Kind', { exact: true }).selectOption('AUDIO');
  await host.getByLabel('Record into the podcast library').setChecked(record);
  await host.getByLabel('Live transcription').setChecked(transcribe);
  await artifacts.shot(host, `create-form-${title.startsWith('Phone') ? 'phone' : 'room'}`);
  await host.getByRole('button', { name: 'Create session' }).click();
  await host.waitForURL(/\/s\/[^/]+$/, { timeout: LONG });
  const slug = new URL(host.url()).pathname.split('/').pop();
  await host.getByRole('heading', { level: 1, name: title }).waitFor();
  return slug;
}

async function mediaUnreachable(page) {
  // no SFU here: LiveKit cannot be reached, and the room says so while chat, stage and captions keep working
  await page.getByRole('status').filter({ hasText: 'Media server unreachable' }).first().waitFor({ timeout: LONG });
}

async function joinAsListener(browser, device, user, slug, tag) {
  const page = await newPage(browser, device);
  await page.goto(`/s/${slug}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await signIn(page, user, USERS[user].password);
  if (!page.url().endsWith(`/s/${slug}`)) throw new Error(`sign-in did not return to the room but to ${page.url()}`);
  await page.getByRole('button', { name: 'Raise hand' }).waitFor({ timeout: LONG });
  await mediaUnreachable(page);
  await artifacts.shot(page, `${tag}-listener-joined`);
  await axeCheck(page, artifacts, `${tag}-room-listener`);
  return page;
}

async function raiseHandAndGetApproved(host, listener, user, tag) {
  await listener.getByRole('button', { name: 'Raise hand' }).click();
  await listener.getByText(/You are #1 in the queue/).waitFor();
  await listener.getByRole('button', { name: 'Lower hand' }).waitFor();
  await artifacts.shot(listener, `${tag}-hand-raised`);
  const panel = host.getByRole('region', { name: 'Host panel' });
  const approve = panel.getByRole('list', { name: 'Stage requests' }).getByRole('button', { name: new RegExp(`^Approve (${user}|${USERS[user].name})$`) });
  await approve.waitFor({ timeout: LONG });
  await artifacts.shot(host, `${tag}-host-sees-request`);
  await sfu.settle();
  await approve.click();
  await listener.getByRole('status').filter({ hasText: 'You are on stage' }).first().waitFor({ timeout: LONG });
  const mic = listener.getByRole('button', { name: 'Microphone' });
  await mic.waitFor({ timeout: LONG });
  await artifacts.shot(listener, `${tag}-on-stage`);
  return mic;
}

async function chat(from, to, text) {
  const region = from.getByRole('region', { name: 'Chat' });
  await region.getByRole('textbox', { name: 'Message' }).fill(text);
  await region.getByRole('button', { name: 'Send' }).click();
  for (const page of [from, to]) {
    await page.getByRole('region', { name: 'Chat' }).getByRole('log').getByText(text).waitFor({ timeout: LONG });
  }
}

async function endForEveryone(host, others) {
  await host.getByRole('button', { name: 'End session for everyone' }).click();
  const dialog = host.getByRole('dialog').or(host.getByRole('alertdialog'));
  await dialog.getByRole('button', { name: 'End session', exact: true }).click();
  for (const page of [host, ...others]) {
    await page.getByRole('heading', { name: 'This session has ended' }).waitFor({ timeout: LONG });
  }
}

async function room(browser) {
  const title = `Live e2e ${RUN}`;
  const host = await newPage(browser, DESKTOP);
  await step(host, 'alice signs in', async () => {
    await host.goto('/');
    await signIn(host, 'alice', USERS.alice.password);
  });
  const slug = await step(host, 'alice creates a recorded, transcribed audio room', () =>
    createSession(host, title, { record: true, transcribe: true }));
  const session = await sessionOf(host, slug);
  await step(host, 'the room page before start: "Start session"', async () => {
    await host.getByRole('button', { name: 'Start session' }).waitFor({ timeout: LONG });
    await artifacts.shot(host, 'room-host-before-start');
    await axeCheck(host, artifacts, 'room-host-before-start');
  });
  await step(host, 'alice starts the session', async () => {
    await host.getByRole('button', { name: 'Start session' }).click();
    await host.getByRole('button', { name: 'Start session' }).waitFor({ state: 'detached', timeout: LONG });
    await host.getByRole('region', { name: 'Host panel' }).waitFor();
    // live, and no SFU here: LiveKit cannot be reached, the room says so (chat, stage, captions keep working)
    await mediaUnreachable(host);
    await artifacts.shot(host, 'room-host-live');
    await axeCheck(host, artifacts, 'room-host-live');
  });
  const listener = await step(host, 'bob joins as a listener (signs in from the room)', () =>
    joinAsListener(browser, DESKTOP, 'bob', slug, 'room'));
  await step(listener, 'the audience counts bob', async () => {
    await host.getByLabel('Audience').getByText(/[1-9]\d* listening/).waitFor({ timeout: LONG });
  });
  const mic = await step(listener, 'bob raises a hand, alice approves, bob is on stage with a Microphone toggle', () =>
    raiseHandAndGetApproved(host, listener, 'bob', 'room'));
  await step(listener, 'bob turns the microphone on (fake device: a beep)', async () => {
    if ((await mic.getAttribute('aria-pressed')) !== 'true') await mic.click();
    await listener.getByRole('button', { name: 'Microphone', pressed: true }).waitFor();
  });
  await step(listener, 'chat both ways', async () => {
    await chat(listener, host, `Hello from Bob ${RUN}`);
    await chat(host, listener, `Welcome on stage, Bob ${RUN}`);
    await artifacts.shot(host, 'room-host-chat');
    await artifacts.shot(listener, 'room-listener-chat');
  });
  await step(listener, 'a reaction burst reaches the host', async () => {
    const bar = listener.getByRole('toolbar', { name: 'Reactions' });
    for (let i = 0; i < 5; i++) await bar.getByRole('button', { name: 'React with heart' }).click();
    for (let i = 0; i < 3; i++) await bar.getByRole('button', { name: 'React with fire' }).click();
    await bar.getByRole('button', { name: 'React with clap' }).click();
    await host.getByText(/[1-9]\d* reactions?/).first().waitFor({ timeout: LONG });
    await artifacts.shot(host, 'room-host-reactions');
  });
  await step(listener, 'captions of bob\'s microphone appear (Gladia stub: "utterance <n>")', async () => {
    for (const page of [listener, host]) {
      await page.getByRole('log', { name: 'Live captions' }).getByText(/utterance \d+/).first().waitFor({ timeout: 90_000 });
    }
    await artifacts.shot(listener, 'room-listener-captions');
    await artifacts.shot(host, 'room-host-captions');
  });
  await step(host, 'alice ends the session; both see the end', async () => {
    await endForEveryone(host, [listener]);
    await sfu.leaveAll((await roomOf(session)) ?? '');
    await artifacts.shot(host, 'room-host-ended');
    await artifacts.shot(listener, 'room-listener-ended');
    await axeCheck(listener, artifacts, 'room-listener-ended');
  });
  await step(host, 'the episode appears in the library once the egress completed', async () => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      await host.goto('/library');
      await host.getByRole('heading', { level: 1, name: 'Podcast library' }).waitFor();
      const link = host.getByRole('link', { name: title });
      try {
        await link.first().waitFor({ timeout: 5_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`no episode "${title}" in the library after 120 s: ${e.message}`);
      }
    }
    await artifacts.shot(host, 'library');
    await axeCheck(host, artifacts, 'library');
    await host.getByRole('link', { name: title }).first().click();
    await host.getByLabel('Episode audio').waitFor({ timeout: LONG });
    await artifacts.shot(host, 'episode');
    await axeCheck(host, artifacts, 'episode');
  });
  await step(host, 'the session dashboard shows the listener (a raised hand, approved on stage)', async () => {
    await host.goto(`/sessions/${session.id}/analytics`);
    await host.getByRole('heading', { level: 1, name: /: analytics$/ }).waitFor({ timeout: LONG });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const text = await host.locator('main').innerText();
      const raised = Number((/Raised a hand\s*\D*?(\d+)/.exec(text) ?? [])[1] ?? 0);
      const viewers = Number((/Unique viewers\s*\D*?(\d+)/.exec(text) ?? [])[1] ?? 0);
      if (raised >= 1 && viewers >= 1) break;
      if (Date.now() > deadline) {
        throw new Error(`the dashboard does not show the listener (unique viewers ${viewers}, raised a hand ${raised})`);
      }
      await host.waitForTimeout(2_000);
      await host.reload();
      await host.getByRole('heading', { level: 1, name: /: analytics$/ }).waitFor({ timeout: LONG });
    }
    await artifacts.shot(host, 'session-dashboard');
    await axeCheck(host, artifacts, 'session-dashboard');
  });
  await listener.context().close();
  await host.context().close();
}

/** The LiveKit room of a session, as token-service named it in the tokens the browsers got. */
async function roomOf(session) {
  for (const issued of sfu.joined.values()) {
    if (issued.room.includes(session.id) || issued.room.includes(session.slug)) return issued.room;
  }
  return [...sfu.joined.values()][0]?.room;
}

async function phone(browser) {
  const title = `Phone e2e ${RUN}`;
  const host = await newPage(browser, DESKTOP);
  await step(host, 'alice signs in and creates a session for the phone run', async () => {
    await host.goto('/');
    await signIn(host, 'alice', USERS.alice.password);
  });
  const slug = await step(host, 'alice creates the phone run\'s session', () =>
    createSession(host, title, { record: false, transcribe: false }));
  const session = await sessionOf(host, slug);
  await step(host, 'alice starts it', async () => {
    await host.getByRole('button', { name: 'Start session' }).click();
    await host.getByRole('button', { name: 'Start session' }).waitFor({ state: 'detached', timeout: LONG });
  });
  const listener = await step(host, 'carol joins on a phone (390x844, touch)', () =>
    joinAsListener(browser, PHONE, 'carol', slug, 'phone'));
  await step(listener, 'carol raises a hand and is brought on stage', () =>
    raiseHandAndGetApproved(host, listener, 'carol', 'phone'));
  await step(listener, 'chat from the phone', async () => {
    await chat(listener, host, `Hi from a phone ${RUN}`);
    await artifacts.shot(listener, 'phone-chat');
    await axeCheck(listener, artifacts, 'phone-room-on-stage');
  });
  await step(listener, 'the page fits the phone (no horizontal scroll)', async () => {
    const overflow = await listener.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) throw new Error(`the room is ${overflow}px wider than the 390px viewport`);
  });
  await step(host, 'alice ends; the phone sees the end', async () => {
    await endForEveryone(host, [listener]);
    await sfu.leaveAll((await roomOf(session)) ?? '');
    await artifacts.shot(listener, 'phone-ended');
  });
  await listener.context().close();
  await host.context().close();
}

/** `./bench/run web`: the measurements of bench.mjs on this stack (not part of the tests' default scenarios). */
async function bench(browser) {
  await measure({
    newPage: (device) => newPage(browser, device),
    createStartedSession: async (host, title) => {
      const slug = await createSession(host, title, { record: false, transcribe: false });
      await host.getByRole('button', { name: 'Start session' }).click();
      await host.getByRole('button', { name: 'Start session' }).waitFor({ state: 'detached', timeout: LONG });
      return slug;
    },
    users: USERS,
    artifacts,
  });
}

const SCENARIOS = { smoke, room, phone, bench };

async function main() {
  for (const s of scenarios) {
    if (!SCENARIOS[s]) throw new Error(`unknown scenario "${s}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  }
  const browser = await launch();
  try {
    for (const s of scenarios) {
      log(`scenario ${s}`);
      await SCENARIOS[s](browser);
    }
  } finally {
    await browser.close();
  }
  log(`passed: ${scenarios.join(', ')}; artifacts in ${artifacts.dir}`);
}

main().then(
  () => {
    control.close();
    process.exit(0);
  },
  (e) => {
    process.stderr.write(`[e2e] FAILED: ${e.stack ?? e.message}\n`);
    control.close();
    process.exit(1);
  },
);
