import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_PARTICLES, MAX_PARTICLES_PER_WINDOW, particlesFor, ReactionsBar, type ReactionsFrame } from './ReactionsBar';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const types = ['heart', 'fire', 'clap', 'laugh', 'wow'];
const frame = (counts: Record<string, number>): ReactionsFrame => ({
  type: 'reactions',
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

  it('turns reactions frames into floating emoji (hidden from screen readers) and a running total', () => {
    vi.useFakeTimers();
    const { rerender, container } = render(<ReactionsBar reactions={types} onReact={vi.fn()} initialTotal={100} />);
    expect(screen.getByText('100 reactions')).toBeTruthy();
    rerender(<ReactionsBar reactions={types} onReact={vi.fn()} initialTotal={100} burst={frame({ heart: 17, fire: 4 })} />);
    expect(screen.getByText('121 reactions')).toBeTruthy();
    const stage = screen.getByTestId('reaction-particles');
    expect(stage.getAttribute('aria-hidden')).toBe('true');
    const particles = container.querySelectorAll('.reaction-particle');
    expect(particles.length).toBe(MAX_PARTICLES_PER_WINDOW);
    expect([...particles].some((p) => p.textContent === '🔥')).toBe(true);

    // the same frame object again is not counted twice; a new window adds
    rerender(<ReactionsBar reactions={types} onReact={vi.fn()} initialTotal={100} burst={frame({ clap: 1 })} />);
    expect(screen.getByText('122 reactions')).toBeTruthy();

    // particles go away after their animation
    act(() => {
      vi.advanceTimersByTime(5000);
    });
    expect(container.querySelectorAll('.reaction-particle').length).toBe(0);
  });

  it('never keeps more than the particle cap, however many windows arrive', () => {
    const { rerender, container } = render(<ReactionsBar reactions={types} onReact={vi.fn()} />);
    for (let i = 0; i < 10; i++) {
      rerender(<ReactionsBar reactions={types} onReact={vi.fn()} burst={frame({ heart: 1000 })} />);
    }
    expect(container.querySelectorAll('.reaction-particle').length).toBe(MAX_PARTICLES);
    expect(screen.getByText('10000 reactions')).toBeTruthy();
  });

  it('shows no floating emoji when the viewer prefers reduced motion, but still counts', () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query.includes('reduce'), media: query }));
    const { rerender, container } = render(<ReactionsBar reactions={types} onReact={vi.fn()} />);
    rerender(<ReactionsBar reactions={types} onReact={vi.fn()} burst={frame({ heart: 3 })} />);
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
