import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import type { SessionResponse } from '../api/client';
import type { components } from '../api/generated/session-service';
import { useAuth } from '../auth/auth';
import { problemErrors } from '../components/problem';
import { formatInstant } from '../format';
import './pages.css';

type CreateBody = components['schemas']['CreateSessionRequest'];
type UpdateBody = components['schemas']['UpdateSessionRequest'];
type SettingsBody = components['schemas']['SettingsRequest'];
type Kind = components['schemas']['SessionKind'];
type Visibility = components['schemas']['SessionVisibility'];

/** session-service's limits (CreateSessionRequest, UpdateSessionRequest, SettingsRequest, SettingsRules). */
export const LIMITS = {
  title: 200,
  description: 5000,
  space: 100,
  maxParticipants: 100_000,
  maxGuests: 20,
} as const;
const SPACE_PATTERN = /^[A-Za-z0-9._-]+$/;

const BOOLEAN_SETTINGS = [
  'allowGuests',
  'requireApproval',
  'enableChat',
  'enableReactions',
  'guestAudioDefault',
  'guestVideoDefault',
  'recordingEnabled',
  'transcriptionEnabled',
  'speakerTracks',
] as const;
type BooleanSetting = (typeof BOOLEAN_SETTINGS)[number];

const BOOLEAN_LABELS: Record<BooleanSetting, { label: string; hint: string }> = {
  allowGuests: { label: 'Viewers may ask to come on stage', hint: 'They raise a hand to speak.' },
  requireApproval: {
    label: 'Stage requests need approval',
    hint: 'Off: a raised hand comes on stage at once while there is room.',
  },
  enableChat: { label: 'Chat', hint: 'The room has a chat.' },
  enableReactions: { label: 'Reactions', hint: 'Viewers may send reactions.' },
  guestAudioDefault: { label: 'Guests start with the microphone on', hint: '' },
  guestVideoDefault: { label: 'Guests start with the camera on', hint: '' },
  recordingEnabled: {
    label: 'Record into the podcast library',
    hint: 'Recorded from the start; the recording becomes a draft episode.',
  },
  transcriptionEnabled: { label: 'Live transcription', hint: 'Speakers are transcribed as live captions.' },
  speakerTracks: {
    label: "Record each speaker's microphone separately",
    hint: 'While recording, every stage speaker also gets an audio file of their own.',
  },
};

/** What the form holds: the inputs' own values (numbers and times as typed). */
export interface SessionFormValues {
  title: string;
  description: string;
  kind: Kind;
  visibility: Visibility;
  spaceId: string;
  /** `YYYY-MM-DDTHH:mm` in the reader's time zone (a datetime-local input), or '' for "whenever the host starts" */
  startsAt: string;
  maxParticipants: string;
  maxGuests: string;
  settings: Record<BooleanSetting, boolean>;
}

/** session-service's defaults for a new session (SettingsRequest's descriptions). */
export function defaultValues(): SessionFormValues {
  return {
    title: '',
    description: '',
    kind: 'AUDIO',
    visibility: 'PUBLIC',
    spaceId: '',
    startsAt: '',
    maxParticipants: '500',
    maxGuests: '10',
    settings: {
      allowGuests: true,
      requireApproval: true,
      enableChat: true,
      enableReactions: true,
      guestAudioDefault: true,
      guestVideoDefault: false,
      recordingEnabled: false,
      transcriptionEnabled: false,
      speakerTracks: false,
    },
  };
}

/** A session as the form shows it. */
export function valuesOf(session: SessionResponse): SessionFormValues {
  const defaults = defaultValues();
  const s = session.settings ?? {};
  const settings = { ...defaults.settings };
  for (const key of BOOLEAN_SETTINGS) {
    settings[key] = s[key] ?? (key === 'guestVideoDefault' ? session.kind === 'VIDEO' : defaults.settings[key]);
  }
  return {
    title: session.title ?? '',
    description: session.description ?? '',
    kind: session.kind ?? 'AUDIO',
    visibility: session.visibility ?? 'PUBLIC',
    spaceId: session.spaceId ?? '',
    startsAt: toLocalInput(session.scheduledAt),
    maxParticipants: String(s.maxParticipants ?? defaults.maxParticipants),
    maxGuests: String(s.maxGuests ?? defaults.maxGuests),
    settings,
  };
}

/** An ISO instant as a datetime-local value in the reader's time zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return '';
  }
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local value (reader's time zone) as an ISO instant; null when empty or not a time. */
export function fromLocalInput(value: string): string | null {
  if (!value) {
    return null;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const isInteger = (v: string) => /^-?\d+$/.test(v.trim());

/**
 * The server's constraints, checked before sending; keys are the server's field paths (`title`,
 * `settings.maxGuests`, ...) so a server error lands on the same input. `original` is the session being edited:
 * only what an edit may change is checked against it.
 */
export function validateSession(
  values: SessionFormValues,
  original: SessionResponse | null,
  now: number = Date.now(),
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.title.trim()) {
    errors.title = 'Give the session a title.';
  } else if (values.title.length > LIMITS.title) {
    errors.title = `At most ${LIMITS.title} characters (now ${values.title.length}).`;
  }
  if (values.description.length > LIMITS.description) {
    errors.description = `At most ${LIMITS.description} characters (now ${values.description.length}).`;
  }
  if (!original) {
    const space = values.spaceId.trim();
    if (space.length > LIMITS.space) {
      errors.spaceId = `At most ${LIMITS.space} characters.`;
    } else if (space && !SPACE_PATTERN.test(space)) {
      errors.spaceId = "Letters, digits, '.', '_' or '-' only.";
    }
  }
  const startsAtEditable = !original || original.status === 'SCHEDULED';
  if (startsAtEditable && (!original || values.startsAt !== toLocalInput(original.scheduledAt))) {
    if (values.startsAt) {
      const at = fromLocalInput(values.startsAt);
      if (!at) {
        errors.scheduledAt = 'Enter a date and time.';
      } else if (Date.parse(at) <= now) {
        errors.scheduledAt = 'The start must be in the future.';
      }
    } else if (original?.scheduledAt) {
      errors.scheduledAt = 'A scheduled start cannot be removed; choose another time.';
    }
  }
  let participants: number | null = null;
  if (!isInteger(values.maxParticipants)) {
    errors['settings.maxParticipants'] = 'Enter a whole number.';
  } else {
    participants = Number(values.maxParticipants);
    if (participants < 1 || participants > LIMITS.maxParticipants) {
      errors['settings.maxParticipants'] = `Between 1 and ${LIMITS.maxParticipants.toLocaleString('en')}.`;
    }
  }
  if (!isInteger(values.maxGuests)) {
    errors['settings.maxGuests'] = 'Enter a whole number.';
  } else {
    const guests = Number(values.maxGuests);
    if (guests < 0 || guests > LIMITS.maxGuests) {
      errors['settings.maxGuests'] = `Between 0 and ${LIMITS.maxGuests}.`;
    } else if (participants !== null && guests >= participants) {
      errors['settings.maxGuests'] = `Must be below the maximum participants (${participants}).`;
    }
  }
  return errors;
}

function settingsOf(values: SessionFormValues): SettingsBody {
  return {
    maxParticipants: Number(values.maxParticipants),
    maxGuests: Number(values.maxGuests),
    ...values.settings,
  };
}

/** The create request: every field, the schedule only when given. */
export function createBody(values: SessionFormValues): CreateBody {
  const body: CreateBody = {
    title: values.title.trim(),
    kind: values.kind,
    visibility: values.visibility,
    settings: settingsOf(values),
  };
  if (values.description.trim()) {
    body.description = values.description;
  }
  if (values.spaceId.trim()) {
    body.spaceId = values.spaceId.trim();
  }
  const at = fromLocalInput(values.startsAt);
  if (at) {
    body.scheduledAt = at;
  }
  return body;
}

/** The PATCH request: only what differs from `original` (an empty description clears it); null when nothing does. */
export function changedFields(original: SessionResponse, values: SessionFormValues): UpdateBody | null {
  const before = valuesOf(original);
  const body: UpdateBody = {};
  if (values.title.trim() !== before.title) {
    body.title = values.title.trim();
  }
  if (values.description !== before.description) {
    body.description = values.description;
  }
  if (original.status === 'SCHEDULED' && values.startsAt !== before.startsAt) {
    const at = fromLocalInput(values.startsAt);
    if (at) {
      body.scheduledAt = at;
    }
  }
  const settings: SettingsBody = {};
  if (values.maxParticipants !== before.maxParticipants) {
    settings.maxParticipants = Number(values.maxParticipants);
  }
  if (values.maxGuests !== before.maxGuests) {
    settings.maxGuests = Number(values.maxGuests);
  }
  for (const key of BOOLEAN_SETTINGS) {
    if (values.settings[key] !== before.settings[key]) {
      settings[key] = values.settings[key];
    }
  }
  if (Object.keys(settings).length > 0) {
    body.settings = settings;
  }
  return Object.keys(body).length > 0 ? body : null;
}

function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {children(ids)}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The order errors are focused in: the first failing input in the form's order gets the focus. */
const FIELD_ORDER = [
  'title',
  'description',
  'kind',
  'visibility',
  'spaceId',
  'scheduledAt',
  'settings.maxParticipants',
  'settings.maxGuests',
  ...BOOLEAN_SETTINGS.map((k) => `settings.${k}`),
];

function SessionForm({
  original,
  submitLabel,
  busy,
  serverErrors,
  formError,
  onSubmit,
}: {
  original: SessionResponse | null;
  submitLabel: string;
  busy: boolean;
  serverErrors: Record<string, string>;
  formError: string | null;
  onSubmit: (values: SessionFormValues) => void;
}) {
  const [values, setValues] = useState<SessionFormValues>(() => (original ? valuesOf(original) : defaultValues()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const base = useId();
  const id = (field: string) => `${base}-${field.replace('.', '-')}`;
  const form = useRef<HTMLFormElement>(null);
  const editing = original !== null;
  const startsAtEditable = !original || original.status === 'SCHEDULED';

  useEffect(() => {
    setErrors(serverErrors);
    focusFirst(serverErrors);
    // focus follows a new answer from the server only
  }, [serverErrors]);

  function focusFirst(errs: Record<string, string>) {
    const first = FIELD_ORDER.find((f) => errs[f]);
    if (first) {
      (form.current?.ownerDocument.getElementById(id(first)) as HTMLElement | null)?.focus();
    }
  }

  const set = <K extends keyof SessionFormValues>(key: K, value: SessionFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateSession(values, original);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    onSubmit(values);
  };
  const unknownErrors = Object.entries(errors).filter(([f]) => !FIELD_ORDER.includes(f));
  const errorCount = Object.keys(errors).length;

  return (
    <form ref={form} className="session-form" onSubmit={submit} noValidate aria-describedby={`${base}-summary`}>
      <div id={`${base}-summary`} role="alert">
        {errorCount > 0 && (
          <p className="form-error">
            {errorCount === 1 ? 'One field needs attention.' : `${errorCount} fields need attention.`}
          </p>
        )}
        {formError && <p className="form-error">{formError}</p>}
        {unknownErrors.map(([f, m]) => (
          <p key={f} className="form-error">
            {f}: {m}
          </p>
        ))}
      </div>
      <fieldset>
        <legend>About</legend>
        <Field id={id('title')} label="Title" error={errors.title} hint={`Up to ${LIMITS.title} characters.`}>
          {(d) => (
            <input
              id={id('title')}
              value={values.title}
              onChange={(e) => set('title', e.target.value)}
              required
              maxLength={LIMITS.title}
              aria-invalid={errors.title ? true : undefined}
              aria-describedby={d}
            />
          )}
        </Field>
        <Field id={id('description')} label="Description" error={errors.description}>
          {(d) => (
            <textarea
              id={id('description')}
              value={values.description}
              rows={4}
              onChange={(e) => set('description', e.target.value)}
              maxLength={LIMITS.description}
              aria-invalid={errors.description ? true : undefined}
              aria-describedby={d}
            />
          )}
        </Field>
        <Field
          id={id('kind')}
          label="Kind"
          error={errors.kind}
          hint={editing ? 'The kind cannot change once the session exists.' : undefined}
        >
          {(d) => (
            <select
              id={id('kind')}
              value={values.kind}
              disabled={editing}
              onChange={(e) => {
                const kind = e.target.value as Kind;
                // the server's default for guests' cameras follows the kind (on for VIDEO)
                setValues((v) => ({ ...v, kind, settings: { ...v.settings, guestVideoDefault: kind === 'VIDEO' } }));
              }}
              aria-describedby={d}
            >
              <option value="AUDIO">Audio room</option>
              <option value="VIDEO">Video session</option>
            </select>
          )}
        </Field>
        <Field
          id={id('visibility')}
          label="Visibility"
          error={errors.visibility}
          hint={
            editing
              ? 'The visibility cannot change once the session exists.'
              : 'Public: listed, anyone may watch. Unlisted: by link only. Private: invited people only.'
          }
        >
          {(d) => (
            <select
              id={id('visibility')}
              value={values.visibility}
              disabled={editing}
              onChange={(e) => set('visibility', e.target.value as Visibility)}
              aria-describedby={d}
            >
              <option value="PUBLIC">Public</option>
              <option value="UNLISTED">Unlisted</option>
              <option value="PRIVATE">Private</option>
            </select>
          )}
        </Field>
        <Field
          id={id('spaceId')}
          label="Space"
          error={errors.spaceId}
          hint={
            editing
              ? 'The space cannot change once the session exists.'
              : "Optional: the community or channel, e.g. product-team (letters, digits, '.', '_', '-')."
          }
        >
          {(d) => (
            <input
              id={id('spaceId')}
              value={values.spaceId}
              disabled={editing}
              onChange={(e) => set('spaceId', e.target.value)}
              aria-invalid={errors.spaceId ? true : undefined}
              aria-describedby={d}
            />
          )}
        </Field>
        <Field
          id={id('scheduledAt')}
          label="Starts at"
          error={errors.scheduledAt}
          hint={
            startsAtEditable
              ? 'Optional: leave empty to start whenever you are ready. The room opens 15 minutes before.'
              : 'The session has started: its start time is history.'
          }
        >
          {(d) => (
            <input
              id={id('scheduledAt')}
              type="datetime-local"
              value={values.startsAt}
              disabled={!startsAtEditable}
              onChange={(e) => set('startsAt', e.target.value)}
              aria-invalid={errors.scheduledAt ? true : undefined}
              aria-describedby={d}
            />
          )}
        </Field>
      </fieldset>
      <fieldset>
        <legend>Room and stage</legend>
        <Field
          id={id('settings.maxParticipants')}
          label="Maximum participants"
          error={errors['settings.maxParticipants']}
          hint={`People in the room at once, 1 to ${LIMITS.maxParticipants.toLocaleString('en')}.`}
        >
          {(d) => (
            <input
              id={id('settings.maxParticipants')}
              type="number"
              inputMode="numeric"
              min={1}
              max={LIMITS.maxParticipants}
              value={values.maxParticipants}
              onChange={(e) => set('maxParticipants', e.target.value)}
              aria-invalid={errors['settings.maxParticipants'] ? true : undefined}
              aria-describedby={d}
            />
          )}
        </Field>
        <Field
          id={id('settings.maxGuests')}
          label="Maximum guests on stage"
          error={errors['settings.maxGuests']}
          hint={`Guests on stage at once besides the host and cohosts, 0 to ${LIMITS.maxGuests}, below the maximum participants.`}
        >
          {(d) => (
            <input
              id={id('settings.maxGuests')}
              type="number"
              inputMode="numeric"
              min={0}
              max={LIMITS.maxGuests}
              value={values.maxGuests}
              onChange={(e) => set('maxGuests', e.target.value)}
              aria-invalid={errors['settings.maxGuests'] ? true : undefined}
              aria-describedby={d}
            />
          )}
        </Field>
        {BOOLEAN_SETTINGS.slice(0, 6).map((key) => (
          <Check key={key} id={id(`settings.${key}`)} setting={key} values={values} errors={errors} setValues={setValues} />
        ))}
      </fieldset>
      <fieldset>
        <legend>Recording and transcription</legend>
        {BOOLEAN_SETTINGS.slice(6).map((key) => (
          <Check key={key} id={id(`settings.${key}`)} setting={key} values={values} errors={errors} setValues={setValues} />
        ))}
      </fieldset>
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
      {busy && (
        <span role="status" className="muted">
          {' '}
          Saving…
        </span>
      )}
    </form>
  );
}

function Check({
  id,
  setting,
  values,
  errors,
  setValues,
}: {
  id: string;
  setting: BooleanSetting;
  values: SessionFormValues;
  errors: Record<string, string>;
  setValues: (f: (v: SessionFormValues) => SessionFormValues) => void;
}) {
  const { label, hint } = BOOLEAN_LABELS[setting];
  const error = errors[`settings.${setting}`];
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={values.settings[setting]}
        onChange={(e) => {
          const checked = e.target.checked;
          setValues((v) => ({ ...v, settings: { ...v.settings, [setting]: checked } }));
        }}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * What an anonymous visitor sees instead of a form. The header's "Sign in" button is the one way in (a second
 * button whose name contains "Sign in" would make that name ambiguous for people and for tests).
 */
function SignInFirst({ what }: { what: string }) {
  const auth = useAuth();
  return auth.available ? (
    <p>Sign in (the button at the top of the page) to {what}.</p>
  ) : (
    <p>Sign-in is not available on this deployment (it has no identity provider), so you cannot {what}.</p>
  );
}

/** An Idempotency-Key per request body: a retry of the same body reuses it, another body gets a new one. */
function useIdempotencyKey() {
  const last = useRef<{ body: string; key: string } | null>(null);
  return (body: unknown) => {
    const json = JSON.stringify(body);
    if (last.current?.body !== json) {
      last.current = { body: json, key: crypto.randomUUID() };
    }
    return last.current.key;
  };
}

/** `/sessions/new`: create a session (now or scheduled) with every setting; on success, its room. */
export function SessionCreatePage() {
  const api = useApi();
  const auth = useAuth();
  const navigate = useNavigate();
  const keyFor = useIdempotencyKey();
  const [busy, setBusy] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async (values: SessionFormValues) => {
    const body = createBody(values);
    setBusy(true);
    setFormError(null);
    try {
      const { data, error, response } = await api.sessions.POST('/api/sessions', {
        params: { header: { 'Idempotency-Key': keyFor(body) } },
        body,
      });
      if (data) {
        navigate(`/s/${encodeURIComponent(data.slug ?? data.id ?? '')}`);
        return;
      }
      const problem = problemErrors(error, response.status);
      setServerErrors(problem.fields);
      setFormError(`The session could not be created: ${problem.message}`);
    } catch (e) {
      setFormError(`The session could not be created: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-session-title" className="form-page">
      <h1 id="new-session-title">New session</h1>
      {auth.user ? (
        <SessionForm
          original={null}
          submitLabel="Create session"
          busy={busy}
          serverErrors={serverErrors}
          formError={formError}
          onSubmit={(v) => void submit(v)}
        />
      ) : (
        <SignInFirst what="create a session" />
      )}
    </section>
  );
}

type EditLoad =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; session: SessionResponse };

/** `/sessions/:id/edit`: the host changes title, description, schedule and settings (PATCH: only what changed). */
export function SessionEditPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const auth = useAuth();
  const [load, setLoad] = useState<EditLoad>({ state: 'loading' });
  const [busy, setBusy] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [version, setVersion] = useState(0);
  const signedIn = auth.user !== null;

  useEffect(() => {
    if (!signedIn) {
      return;
    }
    let active = true;
    setLoad({ state: 'loading' });
    void api.sessions
      .GET('/api/sessions/{id}', { params: { path: { id } } })
      .then(({ data, error, response }) => {
        if (!active) {
          return;
        }
        setLoad(
          data
            ? { state: 'ready', session: data }
            : {
                state: 'error',
                message: response.status === 404 ? 'No such session.' : problemErrors(error, response.status).message,
              },
        );
      })
      .catch((e: unknown) => active && setLoad({ state: 'error', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      active = false;
    };
  }, [api, id, signedIn]);

  if (!signedIn) {
    return (
      <section aria-labelledby="edit-title" className="form-page">
        <h1 id="edit-title">Edit session</h1>
        <SignInFirst what="edit your session" />
      </section>
    );
  }
  if (load.state === 'loading') {
    return (
      <p role="status" aria-live="polite">
        Loading the session…
      </p>
    );
  }
  if (load.state === 'error') {
    return (
      <section aria-labelledby="edit-title" role="alert">
        <h1 id="edit-title">Edit session</h1>
        <p>The session could not be loaded: {load.message}</p>
      </section>
    );
  }
  const session = load.session;
  const room = `/s/${encodeURIComponent(session.slug ?? session.id ?? '')}`;
  const heading = (
    <h1 id="edit-title">
      Edit <q>{session.title}</q>
    </h1>
  );
  if (session.hostId !== auth.userId) {
    return (
      <section aria-labelledby="edit-title" className="form-page">
        {heading}
        <p role="alert">Only the session's host can edit it.</p>
        <Link to={room}>Go to the session</Link>
      </section>
    );
  }
  if (session.status === 'ENDED' || session.status === 'CANCELLED') {
    return (
      <section aria-labelledby="edit-title" className="form-page">
        {heading}
        <p role="alert">This session has {session.status === 'ENDED' ? 'ended' : 'been cancelled'}; it can no longer be edited.</p>
      </section>
    );
  }

  const save = async (values: SessionFormValues) => {
    const body = changedFields(session, values);
    setSaved(null);
    setFormError(null);
    if (!body) {
      setSaved('Nothing changed.');
      return;
    }
    setBusy(true);
    try {
      const { data, error, response } = await api.sessions.PATCH('/api/sessions/{id}', {
        params: { path: { id: session.id ?? id } },
        body,
      });
      if (data) {
        setServerErrors({});
        setLoad({ state: 'ready', session: data });
        setVersion((v) => v + 1);
        setSaved('Changes saved.');
        return;
      }
      const problem = problemErrors(error, response.status);
      setServerErrors(problem.fields);
      setFormError(`The changes could not be saved: ${problem.message}`);
    } catch (e) {
      setFormError(`The changes could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const cancelSession = async () => {
    setBusy(true);
    setFormError(null);
    try {
      const { data, error, response } = await api.sessions.POST('/api/sessions/{id}/cancel', {
        params: { path: { id: session.id ?? id } },
      });
      setConfirmCancel(false);
      if (data) {
        setLoad({ state: 'ready', session: data });
      } else {
        setFormError(`The session could not be cancelled: ${problemErrors(error, response.status).message}`);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="edit-title" className="form-page">
      {heading}
      <p className="meta">
        {session.status === 'ACTIVE' ? 'Live now.' : session.scheduledAt ? `Starts ${formatInstant(session.scheduledAt)}.` : 'Not scheduled.'}{' '}
        <Link to={room}>Go to the session</Link>
      </p>
      <div role="status" aria-live="polite">
        {saved && <p className="saved">{saved}</p>}
      </div>
      <SessionForm
        key={version}
        original={session}
        submitLabel="Save changes"
        busy={busy}
        serverErrors={serverErrors}
        formError={formError}
        onSubmit={(v) => void save(v)}
      />
      {session.status === 'SCHEDULED' && (
        <section aria-labelledby="cancel-title" className="danger-zone">
          <h2 id="cancel-title">Cancel the session</h2>
          <p>Cancelling takes it off the schedule for everyone; it cannot be undone.</p>
          {confirmCancel ? (
            <div role="alertdialog" aria-labelledby="cancel-confirm" className="confirm">
              <p id="cancel-confirm">Cancel “{session.title}” for good?</p>
              <button type="button" className="danger" disabled={busy} onClick={() => void cancelSession()}>
                Yes, cancel the session
              </button>{' '}
              <button type="button" className="secondary" onClick={() => setConfirmCancel(false)}>
                Keep it
              </button>
            </div>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmCancel(true)}>
              Cancel session
            </button>
          )}
        </section>
      )}
    </section>
  );
}
