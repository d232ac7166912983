import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_PARTICLES, MAX_PARTICLES_PER_WINDOW, particlesFor, ReactionsBar, type ReactionWindow } from './ReactionsBar';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const types = ['heart', 'fire', 'clap', 'laugh', 'wow'];
let nextId = 0;
const frame = (counts: Record<string, number>): ReactionWindow => ({
  id: ++nextId,
  counts,
  total: Object.values(counts).reduce((a, b) => a + b, 0),
  windowMs: 500,
});

describe('particlesFor', () => {
  it('keeps small windows exact and caps large ones proportionally, each sent type at least once', () => {
    expect(particlesFor({ heart: 2, fire: 1 })).toEqual(['heart', 'heart', 'fire']);
    const big = particlesFor({ heart: 5000, fire: 10 });
    expect(big.length).toBeLessThanOrEqual(MAX_PARTICLES_PER_WINDOW);
    expect(big.filter((t) => t === 'heart').length).toBeGreaterThan(5);
    expect(big).toContain('fire');
    expect(particlesFor({})).toEqual([]);
  });
});

describe('ReactionsBar', () => {
  it('offers a button per reaction type of the session in a toolbar, and sends the type', () => {
    const onReact = vi.fn();
    render(<ReactionsBar reactions={types} onReact={onReact} />);
    const bar = screen.getByRole('toolbar', { name: 'Reactions' });
    expect(within(bar).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(
      types.map((t) => `React with ${t}`),
    );
    expect(screen.getByRole('button', { name: 'React with heart' }).textContent).toBe('❤️');
    fireEvent.click(screen.getByRole('button', { name: 'React with fire' }));
    expect(onReact).toHaveBeenCalledWith('fire');
  });

  it('turns new reactions windows into floating emoji (hidden from screen readers) and shows the total', () => {
    vi.useFakeTimers();
    const history = [frame({ heart: 3 })];
    const { rerender, container } = render(<ReactionsBar reactions={types} onReact={vi.fn()} windows={history} total={100} />);
    expect(screen.getByText('100 reactions')).toBeTruthy();
    // windows present at mount are history: nothing floats
    expect(container.querySelectorAll('.reaction-particle').length).toBe(0);

    const burst = [...history, frame({ heart: 17, fire: 4 })];
    rerender(<ReactionsBar reactions={types} onReact={vi.fn()} windows={burst} total={121} />);
    expect(screen.getByText('121 reactions')).toBeTruthy();
    const stage = screen.getByTestId('reaction-particles');
    expect(stage.getAttribute('aria-hidden')).toBe('true');
    const particles = container.querySelectorAll('.reaction-particle');
    expect(particles.length).toBe(MAX_PARTICLES_PER_WINDOW);
    expect([...particles].some((p) => p.textContent === '🔥')).toBe(true);

    // the same windows again add nothing; particles go away after their animation
    rerender(<ReactionsBar reactions={types} onReact={vi.fn()} windows={[...burst]} total={121} />);
    expect(container.querySelectorAll('.reaction-particle').length).toBe(MAX_PARTICLES_PER_WINDOW);
    act(() => {
      vi.advanceTimersByTime(5000);
    });
    expect(container.querySelectorAll('.reaction-particle').length).toBe(0);
  });

  it('sums the windows it saw when no total is given, two windows between renders included', () => {
    const { rerender } = render(<ReactionsBar reactions={types} onReact={vi.fn()} windows={[]} />);
    expect(screen.getByText('0 reactions')).toBeTruthy();
    rerender(<ReactionsBar reactions={types} onReact={vi.fn()} windows={[frame({ heart: 2 }), frame({ clap: 5 })]} />);
    expect(screen.getByText('7 reactions')).toBeTruthy();
  });

  it('never keeps more than the particle cap, however many windows arrive', () => {
    let windows: ReactionWindow[] = [];
    const { rerender, container } = render(<ReactionsBar reactions={types} onReact={vi.fn()} windows={windows} />);
    for (let i = 0; i < 10; i++) {
      windows = [...windows, frame({ heart: 1000 })];
      rerender(<ReactionsBar reactions={types} onReact={vi.fn()} windows={windows} />);
    }
    expect(container.querySelectorAll('.reaction-particle').length).toBe(MAX_PARTICLES);
    expect(screen.getByText('10000 reactions')).toBeTruthy();
  });

  it('shows no floating emoji when the viewer prefers reduced motion, but still counts', () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query.includes('reduce'), media: query }));
    const { rerender, container } = render(<ReactionsBar reactions={types} onReact={vi.fn()} windows={[]} />);
    rerender(<ReactionsBar reactions={types} onReact={vi.fn()} windows={[frame({ heart: 3 })]} />);
    expect(container.querySelectorAll('.reaction-particle').length).toBe(0);
    expect(screen.getByText('3 reactions')).toBeTruthy();
  });

  it('disables the buttons with the reason when reactions are off or the viewer is anonymous', () => {
    render(<ReactionsBar reactions={types} onReact={vi.fn()} enabled={false} />);
    expect((screen.getByRole('button', { name: 'React with heart' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Reactions are turned off')).toBeTruthy();
    cleanup();
    render(<ReactionsBar reactions={types} onReact={vi.fn()} canReact={false} />);
    expect((screen.getByRole('button', { name: 'React with clap' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Sign in to react')).toBeTruthy();
  });
});
