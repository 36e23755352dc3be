import { useEffect, useRef } from 'react';

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'];

/**
 * Calls `onIdle` after `idleMs` without keyboard, pointer or scroll input (while `active`).
 * Screen-safety policy: an unattended screen must not keep a child's record on show.
 */
export function useInactivity(idleMs: number, active: boolean, onIdle: () => void): void {
  const idle = useRef(onIdle);
  idle.current = onIdle;
  useEffect(() => {
    if (!active) return undefined;
    let timer = window.setTimeout(() => idle.current(), idleMs);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => idle.current(), idleMs);
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, reset);
    };
  }, [idleMs, active]);
}

/** How long the screen may sit idle: the server's minutes, or ?inactivitySeconds= in development. */
export function idleMilliseconds(minutes: number, development: boolean): number {
  const override = Number(new URLSearchParams(window.location.search).get('inactivitySeconds'));
  if (development && Number.isInteger(override) && override > 0) return override * 1000;
  return Math.max(1, minutes) * 60_000;
}
