import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiscoverPage } from './DiscoverPage';
import { changedFields, fromLocalInput, toLocalInput, validateSession, valuesOf } from './SessionFormPage';
import { SessionCreatePage, SessionEditPage } from './SessionFormPage';
import { auth, json, renderAt, stubFetch } from './testUtils';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const routes = (
  <>
    <Route path="/" element={<DiscoverPage />} />
    <Route path="/sessions/new" element={<SessionCreatePage />} />
    <Route path="/sessions/:id/edit" element={<SessionEditPage />} />
    <Route path="/s/:ref" element={<h1>Room</h1>} />
  </>
);

const inAnHour = () => toLocalInput(new Date(Date.now() + 3_600_000).toISOString());

const existing = (extra: Record<string, unknown> = {}) => ({
  id: 'sess-1',
  slug: 'abcd1234',
  title: 'Friday AMA',
  description: 'Ask anything',
  hostId: 'alice',
  spaceId: 'product-team',
  kind: 'AUDIO',
  visibility: 'PUBLIC',
  status: 'SCHEDULED',
  scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
  settings: {
    maxParticipants: 500,
    allowGuests: true,
    requireApproval: true,
    maxGuests: 10,
    enableChat: true,
    enableReactions: true,
    guestAudioDefault: true,
    guestVideoDefault: false,
    recordingEnabled: false,
    transcriptionEnabled: false,
    speakerTracks: false,
  },
  ...extra,
});

/** The error text an input points at with aria-describedby, or null when it has none. */
function errorOf(label: string): string | null {
  const input = screen.getByLabelText(label);
  if (input.getAttribute('aria-invalid') !== 'true') {
    return null;
  }
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.map((id) => document.getElementById(id)?.textContent).join(' ') || null;
}

describe('validateSession (the server\'s constraints)', () => {
  const base = () => ({ ...valuesOf(existing() as never), startsAt: '' });
  it('accepts a complete new session and names each broken rule by its server field', () => {
    expect(validateSession(base(), null)).toEqual({});
    const errors = validateSession(
      {
        ...base(),
        title: '   ',
        description: 'x'.repeat(5001),
        spaceId: 'no spaces',
        startsAt: toLocalInput(new Date(Date.now() - 60_000).toISOString()),
        maxParticipants: '0',
        maxGuests: '21',
      },
      null,
    );
    expect(Object.keys(errors).sort()).toEqual(
      ['description', 'scheduledAt', 'settings.maxGuests', 'settings.maxParticipants', 'spaceId', 'title'].sort(),
    );
    expect(validateSession({ ...base(), title: 'x'.repeat(201) }, null).title).toMatch(/At most 200/);
    expect(validateSession({ ...base(), maxParticipants: '100001' }, null)['settings.maxParticipants']).toMatch(/Between 1 and 100,000/);
    expect(validateSession({ ...base(), maxParticipants: '5', maxGuests: '5' }, null)['settings.maxGuests']).toMatch(/below the maximum participants/);
    expect(validateSession({ ...base(), maxGuests: '2.5' }, null)['settings.maxGuests']).toBe('Enter a whole number.');
    expect(validateSession({ ...base(), spaceId: 'x'.repeat(101) }, null).spaceId).toMatch(/At most 100/);
  });

  it('on an edit, checks the start only while scheduled and refuses removing a schedule', () => {
    const session = existing() as never;
    expect(validateSession({ ...valuesOf(session), startsAt: '' }, session).scheduledAt).toMatch(/cannot be removed/);
    const started = existing({ status: 'ACTIVE', scheduledAt: new Date(Date.now() - 3_600_000).toISOString() }) as never;
    expect(validateSession(valuesOf(started), started)).toEqual({});
  });
});

describe('changedFields (PATCH sends only what changed)', () => {
  it('answers null when nothing changed, and exactly the changed fields otherwise', () => {
    const session = existing() as never;
    expect(changedFields(session, valuesOf(session))).toBeNull();
    const values = valuesOf(session);
    values.description = '';
    values.maxGuests = '4';
    values.settings.recordingEnabled = true;
    expect(changedFields(session, values)).toEqual({ description: '', settings: { maxGuests: 4, recordingEnabled: true } });
  });

  it('round-trips a schedule through the datetime-local input', () => {
    const iso = '2027-03-01T09:30:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(fromLocalInput('')).toBeNull();
  });
});

describe('/sessions/new', () => {
  it('shows the validation errors on the named fields and sends nothing', async () => {
    const requests = stubFetch(() => json({}));
    renderAt('/sessions/new', auth('alice'), routes);
    fireEvent.change(screen.getByLabelText('Maximum participants'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('Maximum guests on stage'), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create session' }));
    expect(errorOf('Title')).toBe('Give the session a title.');
    expect(errorOf('Maximum guests on stage')).toBe('Must be below the maximum participants (3).');
    expect(errorOf('Description')).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Title'));
    expect(screen.getByRole('alert').textContent).toContain('2 fields need attention.');
    expect(requests).toHaveLength(0);
  });

  it('creates a scheduled session with every setting, safely retryable, and opens its room', async () => {
    const requests = stubFetch(() => json(existing({ slug: 'xyz98765' }), 201));
    renderAt('/sessions/new', auth('alice'), routes);
    const startsAt = inAnHour();
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: '  Launch party ' } });
    fireEvent.change(screen.getByLabelText('Description'), { target: { value: 'Bring questions' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'VIDEO' } });
    fireEvent.change(screen.getByLabelText('Visibility'), { target: { value: 'UNLISTED' } });
    fireEvent.change(screen.getByLabelText('Space'), { target: { value: 'product-team' } });
    fireEvent.change(screen.getByLabelText('Starts at'), { target: { value: startsAt } });
    fireEvent.change(screen.getByLabelText('Maximum participants'), { target: { value: '200' } });
    fireEvent.change(screen.getByLabelText('Maximum guests on stage'), { target: { value: '6' } });
    fireEvent.click(screen.getByLabelText('Stage requests need approval'));
    fireEvent.click(screen.getByLabelText('Reactions'));
    fireEvent.click(screen.getByLabelText('Record into the podcast library'));
    fireEvent.click(screen.getByLabelText('Live transcription'));
    fireEvent.click(screen.getByLabelText("Record each speaker's microphone separately"));
    fireEvent.click(screen.getByRole('button', { name: 'Create session' }));
    await screen.findByRole('heading', { name: 'Room' });
    expect(screen.getByTestId('location').textContent).toBe('/s/xyz98765');
    expect(requests).toHaveLength(1);
    const [post] = requests;
    expect(post.method).toBe('POST');
    expect(post.url.pathname).toBe('/api/sessions');
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(post.headers.get('Authorization')).toMatch(/^Bearer /);
    expect(post.body).toEqual({
      title: 'Launch party',
      description: 'Bring questions',
      kind: 'VIDEO',
      visibility: 'UNLISTED',
      spaceId: 'product-team',
      scheduledAt: fromLocalInput(startsAt),
      settings: {
        maxParticipants: 200,
        maxGuests: 6,
        allowGuests: true,
        requireApproval: false,
        enableChat: true,
        enableReactions: false,
        guestAudioDefault: true,
        guestVideoDefault: true, // follows the kind: VIDEO
        recordingEnabled: true,
        transcriptionEnabled: true,
        speakerTracks: true,
      },
    });
  });

  it('shows the server\'s problem+json on the field it names, and retries with the same Idempotency-Key', async () => {
    const requests = stubFetch(() =>
      json(
        {
          type: 'https://livestage.io/problems/validation-failed',
          title: 'Validation failed',
          status: 400,
          detail: 'settings.maxGuests: maxGuests (10) must be below maxParticipants (10)',
          field: 'settings.maxGuests',
        },
        400,
      ),
    );
    renderAt('/sessions/new', auth('alice'), routes);
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Talk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create session' }));
    await waitFor(() => expect(errorOf('Maximum guests on stage')).toBe('settings.maxGuests: maxGuests (10) must be below maxParticipants (10)'));
    expect(document.activeElement).toBe(screen.getByLabelText('Maximum guests on stage'));
    expect(screen.getByRole('alert').textContent).toContain('The session could not be created');
    fireEvent.click(screen.getByRole('button', { name: 'Create session' }));
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests[1].headers.get('Idempotency-Key')).toBe(requests[0].headers.get('Idempotency-Key'));
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Another talk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create session' }));
    await waitFor(() => expect(requests).toHaveLength(3));
    expect(requests[2].headers.get('Idempotency-Key')).not.toBe(requests[0].headers.get('Idempotency-Key'));
  });

  it('shows every field of a bean-validation problem (errors[])', async () => {
    stubFetch(() =>
      json(
        {
          title: 'Validation failed',
          status: 400,
          detail: 'spaceId: letters only; title: must not be blank',
          field: 'spaceId',
          errors: [
            { field: 'spaceId', message: "letters, digits, '.', '_' or '-' only" },
            { field: 'title', message: 'must not be blank' },
          ],
        },
        400,
      ),
    );
    renderAt('/sessions/new', auth('alice'), routes);
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Talk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create session' }));
    await waitFor(() => expect(errorOf('Space')).toBe("letters, digits, '.', '_' or '-' only"));
    expect(errorOf('Title')).toBe('must not be blank');
  });

  it('asks an anonymous visitor to sign in (with the header\'s button) and shows no form', () => {
    const requests = stubFetch(() => json({}));
    renderAt('/sessions/new', auth(null), routes);
    expect(screen.getByText('Sign in (the button at the top of the page) to create a session.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create session' })).toBeNull();
    expect(screen.queryByRole('button', { name: /sign in/i })).toBeNull();
    expect(requests).toHaveLength(0);
  });
});

describe('/sessions/:id/edit', () => {
  it('PATCHes only the changed fields and shows the saved session', async () => {
    const requests = stubFetch((request) =>
      request.method === 'PATCH' ? json(existing({ title: 'Friday AMA, part 2', settings: { ...existing().settings, enableChat: false } })) : json(existing()),
    );
    renderAt('/sessions/sess-1/edit', auth('alice'), routes);
    const title = await screen.findByLabelText('Title');
    expect((title as HTMLInputElement).value).toBe('Friday AMA');
    expect((screen.getByLabelText('Kind') as HTMLSelectElement).disabled).toBe(true);
    expect((screen.getByLabelText('Space') as HTMLInputElement).value).toBe('product-team');
    fireEvent.change(title, { target: { value: 'Friday AMA, part 2' } });
    fireEvent.click(screen.getByLabelText('Chat'));
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Changes saved.');
    const patch = requests.find((r) => r.method === 'PATCH');
    expect(patch?.url.pathname).toBe('/api/sessions/sess-1');
    expect(patch?.body).toEqual({ title: 'Friday AMA, part 2', settings: { enableChat: false } });
    expect((screen.getByLabelText('Chat') as HTMLInputElement).checked).toBe(false);
  });

  it('sends nothing when nothing changed, and names a server error on its field', async () => {
    const requests = stubFetch((request) =>
      request.method === 'PATCH'
        ? json({ title: 'Validation failed', status: 400, detail: 'scheduledAt: must be a future date', field: 'scheduledAt', errors: [{ field: 'scheduledAt', message: 'must be a future date' }] }, 400)
        : json(existing()),
    );
    renderAt('/sessions/sess-1/edit', auth('alice'), routes);
    fireEvent.click(await screen.findByRole('button', { name: 'Save changes' }));
    await screen.findByText('Nothing changed.');
    expect(requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Starts at'), { target: { value: inAnHour() } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(errorOf('Starts at')).toBe('must be a future date'));
    expect(Object.keys(requests.find((r) => r.method === 'PATCH')?.body as object)).toEqual(['scheduledAt']);
  });

  it('cancels a scheduled session after confirmation', async () => {
    const requests = stubFetch((request) => (request.url.endsWith('/cancel') ? json(existing({ status: 'CANCELLED' })) : json(existing())));
    renderAt('/sessions/sess-1/edit', auth('alice'), routes);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel session' }));
    const dialog = screen.getByRole('alertdialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, cancel the session' }));
    await screen.findByText(/been cancelled; it can no longer be edited/);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['GET /api/sessions/sess-1', 'POST /api/sessions/sess-1/cancel']);
  });

  it('tells someone who is not the host that only the host edits', async () => {
    stubFetch(() => json(existing()));
    renderAt('/sessions/sess-1/edit', auth('bob'), routes);
    expect((await screen.findByRole('alert')).textContent).toBe("Only the session's host can edit it.");
    expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
  });
});

describe('Discover links', () => {
  it('links sessions to their rooms, offers Edit on your own, and browses by space', async () => {
    const requests = stubFetch(() =>
      json({
        items: [
          existing({ id: 'a', slug: 'aaaa1111', title: 'Mine', status: 'ACTIVE' }),
          existing({ id: 'b', slug: 'bbbb2222', title: 'Theirs', hostId: 'bob', status: 'ACTIVE', spaceId: 'design' }),
        ],
        nextCursor: null,
      }),
    );
    renderAt('/', auth('alice'), routes);
    expect((await screen.findByRole('link', { name: 'Mine' })).getAttribute('href')).toBe('/s/aaaa1111');
    expect(screen.getByRole('link', { name: 'Theirs' }).getAttribute('href')).toBe('/s/bbbb2222');
    expect(screen.getByRole('link', { name: 'Edit Mine' }).getAttribute('href')).toBe('/sessions/a/edit');
    expect(screen.queryByRole('link', { name: 'Edit Theirs' })).toBeNull();
    const spaces = screen.getByRole('navigation', { name: 'Spaces' });
    expect(within(spaces).getAllByRole('link').map((l) => l.textContent)).toEqual(['design', 'product-team']);
    fireEvent.click(within(spaces).getByRole('link', { name: 'design' }));
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests[1].url.searchParams.get('space')).toBe('design');
    expect(await screen.findByRole('link', { name: 'All spaces' })).toBeTruthy();
  });
});
