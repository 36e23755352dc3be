import {
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  type Theme,
} from '@fluentui/react-components';

/** What the client knows about where it runs. */
export interface Host {
  inTeams: boolean;
  /** Teams' theme name: default, dark or contrast. */
  theme: string;
  /** A deep link: `pupil:<id>` or `incident:<id>` (Teams' subPageId or ?pupil= / ?incident=). */
  deepLink: DeepLink | undefined;
}

export type DeepLink = { kind: 'pupil'; id: string } | { kind: 'incident'; id: string };

const INITIALIZE_TIMEOUT_MS = 2000;

/**
 * teams-js, loaded only when the page may be in Teams: on import it fetches Microsoft's list of
 * valid origins from res.cdn.office.net, which the tab's CSP (connect-src 'self') refuses; it then
 * uses its built-in list. Outside Teams it is never loaded at all.
 */
export const teamsSdk = () => import('@microsoft/teams-js');

export function fluentTheme(teamsTheme: string): Theme {
  if (teamsTheme === 'dark') return teamsDarkTheme;
  if (teamsTheme === 'contrast') return teamsHighContrastTheme;
  return teamsLightTheme;
}

function parseDeepLink(text: string | null | undefined): DeepLink | undefined {
  const match = /^(pupil|incident):([A-Za-z0-9][A-Za-z0-9_.:-]{0,63})$/.exec(text ?? '');
  if (!match) return undefined;
  return { kind: match[1] as DeepLink['kind'], id: match[2]! };
}

function queryDeepLink(): DeepLink | undefined {
  const params = new URLSearchParams(window.location.search);
  const pupil = params.get('pupil');
  const incident = params.get('incident');
  if (incident) return parseDeepLink(`incident:${incident}`);
  if (pupil) return parseDeepLink(`pupil:${pupil}`);
  return undefined;
}

/**
 * Starts teams-js. Outside Teams (a plain browser tab) initialize never answers or fails, so it is
 * given two seconds; then the client offers development sign-in if the server has it.
 */
export async function detectHost(): Promise<Host> {
  const outside: Host = { inTeams: false, theme: 'default', deepLink: queryDeepLink() };
  // Teams frames a tab (desktop, web) or gives it a native bridge (mobile); a plain top-level
  // window has neither, so it need not wait for initialize to time out.
  const bridged = 'nativeInterface' in window;
  if (window.parent === window && !window.opener && !bridged) return outside;
  try {
    const { app } = await teamsSdk();
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('timeout')), INITIALIZE_TIMEOUT_MS),
      ),
    ]);
    const context = await app.getContext();
    return {
      inTeams: true,
      theme: context.app.theme ?? 'default',
      deepLink: parseDeepLink(context.page.subPageId) ?? queryDeepLink(),
    };
  } catch {
    return outside;
  }
}

/** Follows Teams' theme changes (in Teams only). */
export async function onThemeChange(handler: (theme: string) => void): Promise<void> {
  (await teamsSdk()).app.registerOnThemeChangeHandler(handler);
}
