import { FluentProvider, Spinner } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient, type TokenSource } from './api-client';
import type { DevUser, Me } from './api-types';
import { messageOf } from './format';
import { idleMilliseconds, useInactivity } from './screen-safety';
import { detectHost, fluentTheme, onThemeChange, type Host } from './teams-host';
import { DevTokenSource, listDevUsers, TeamsTokenSource } from './token-sources';
import { BlankScreen } from './views/BlankScreen';
import { DevSignIn } from './views/DevSignIn';
import { Shell } from './views/Shell';
import { routeFromDeepLink, type Route } from './route';

type Phase =
  | { kind: 'starting' }
  | { kind: 'choose-user'; users: DevUser[] }
  | { kind: 'failed'; message: string }
  | { kind: 'signed-in'; api: ApiClient; tokens: TokenSource; me: Me };

/**
 * The tab: finds out whether it runs in Teams, signs in (Teams SSO, or development sign-in outside
 * Teams when the server offers it), then shows the views; blanks the screen when idle.
 */
export function App() {
  const [host, setHost] = useState<Host | undefined>();
  const [theme, setTheme] = useState('default');
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [route, setRoute] = useState<Route>({ view: 'search' });
  const [blanked, setBlanked] = useState(false);
  const [simulateStepUp, setSimulateStepUp] = useState(false);
  const stepUpRef = useMemo(() => ({ on: false }), []);
  stepUpRef.on = simulateStepUp;

  const signIn = useCallback(async (tokens: TokenSource) => {
    try {
      const api = new ApiClient(tokens);
      const me = await api.get<Me>('me');
      setPhase({ kind: 'signed-in', api, tokens, me });
    } catch (error) {
      setPhase({ kind: 'failed', message: messageOf(error) });
    }
  }, []);

  useEffect(() => {
    void (async () => {
      const found = await detectHost();
      setHost(found);
      setTheme(found.theme);
      setRoute(routeFromDeepLink(found.deepLink));
      if (found.inTeams) {
        void onThemeChange(setTheme);
        await signIn(new TeamsTokenSource());
        return;
      }
      const users = await listDevUsers();
      setPhase(
        users
          ? { kind: 'choose-user', users }
          : { kind: 'failed', message: 'Please open this app from Microsoft Teams.' },
      );
    })();
  }, [signIn]);

  const signedIn = phase.kind === 'signed-in' ? phase : undefined;
  const blank = useCallback(() => {
    // Unmounting the views drops every loaded record; the tokens go too.
    signedIn?.tokens.forget();
    setBlanked(true);
  }, [signedIn]);
  const idleMs = signedIn
    ? idleMilliseconds(signedIn.me.inactivityMinutes, signedIn.me.development)
    : 0;
  useInactivity(idleMs, Boolean(signedIn) && !blanked, blank);

  const unblank = useCallback(async () => {
    if (!signedIn) return;
    // A fresh token before anything shows again (in Teams, this asks Teams for one).
    await signedIn.tokens.token();
    setBlanked(false);
  }, [signedIn]);

  return (
    <FluentProvider theme={fluentTheme(theme)} style={{ minHeight: '100vh' }}>
      {phase.kind === 'starting' && <Spinner label="Starting…" style={{ paddingTop: 48 }} />}
      {phase.kind === 'failed' && (
        <main style={{ padding: 24 }}>
          <h1>Safeguarding records</h1>
          <p role="alert">{phase.message}</p>
        </main>
      )}
      {phase.kind === 'choose-user' && (
        <DevSignIn
          users={phase.users}
          simulateStepUp={simulateStepUp}
          onSimulateStepUp={setSimulateStepUp}
          onChoose={(user) => signIn(new DevTokenSource(user, () => stepUpRef.on))}
        />
      )}
      {signedIn && blanked && <BlankScreen onUnblank={unblank} />}
      {signedIn && !blanked && (
        <Shell
          api={signedIn.api}
          me={signedIn.me}
          development={!host?.inTeams}
          simulateStepUp={simulateStepUp}
          onSimulateStepUp={setSimulateStepUp}
          route={route}
          navigate={setRoute}
          onBlank={blank}
        />
      )}
    </FluentProvider>
  );
}
