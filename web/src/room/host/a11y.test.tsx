import { cleanup, screen } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Captions } from '../captions/Captions';
import { ChatPanel } from '../chat/ChatPanel';
import { json, renderWithApi, stubFetch } from '../chat/testing';
import { ReactionsBar } from '../reactions/ReactionsBar';
import { HostPanel } from './HostPanel';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** axe-core's rules that jsdom can evaluate (no layout, so no colour contrast). */
async function violations(container: HTMLElement) {
  // jsdom has no canvas; axe only uses it for icon-font heuristics
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('room UI accessibility (axe-core)', () => {
  it('has no violations in the chat (moderator view), reactions and captions', async () => {
    stubFetch(() => json({}));
    const { container } = renderWithApi(
      <main>
        <ChatPanel
          sessionId="s-1"
          messages={[
            { id: 'm1', seq: 1, author: { userId: 'u-bob', name: 'Bob', role: 'GUEST' }, text: 'hi', sentAt: '2026-11-21T18:10:00Z', deleted: false },
          ]}
          system={[{ event: 'participant.joined', text: 'Dan joined', at: Date.parse('2026-11-21T18:11:00Z') }]}
          you={{ userId: 'u-alice', name: 'Alice', role: 'HOST', anonymous: false, canChat: true, moderator: true }}
          settings={{ enableChat: true, enableReactions: true, slowModeSeconds: 10, signedInOnly: false, reactionsOnly: false }}
          onSend={() => 'c'}
        />
        <ReactionsBar reactions={['heart', 'fire', 'clap', 'laugh']} onReact={() => {}} windows={[]} />
        <Captions segments={[{ participantIdentity: 'u-alice', speakerName: 'Alice', streamId: 's', utteranceId: 'u', text: 'Hello', isFinal: false }]} />
      </main>,
    );
    expect(await violations(container)).toEqual([]);
  });

  it('has no violations in the host panel', async () => {
    stubFetch((_method, path) => {
      if (path.endsWith('/stage-requests')) return json({ items: [{ id: 'r1', userId: 'u-bob', name: 'Bob', status: 'PENDING', xp: 3, requestedAt: '2026-11-21T18:05:00Z', position: 1 }] });
      if (path.endsWith('/participants')) return json([{ identity: 'u-gus', userId: 'u-gus', name: 'Gus', role: 'GUEST', onStage: true }]);
      if (path.endsWith('/recordings')) return json([]);
      if (path.endsWith('/stream/ingress')) return json({ ingressId: 'i', rtmpUrl: 'rtmp://m/x', streamKey: 'secret-key' });
      if (path === '/api/me/restream-targets') return json([{ id: 't1', name: 'Chan', kind: 'TELEGRAM' }]);
      return json({ status: 404, title: 'Not Found' }, 404);
    });
    const { container } = renderWithApi(
      <main>
        <HostPanel sessionId="s-1" you={{ userId: 'u-alice', role: 'HOST' }} />
      </main>,
    );
    await screen.findByRole('button', { name: 'Approve Bob' });
    await screen.findByRole('button', { name: 'Show key' });
    await screen.findByRole('button', { name: 'Restream to Chan' });
    expect(await violations(container)).toEqual([]);
  });
});
