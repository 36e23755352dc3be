import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Switch,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { DevUser } from '../api-types';

/**
 * DEVELOPMENT sign-in, outside Teams only and only when the server offers it (never in
 * production): pick a demo user. The server still decides their roles.
 */
export function DevSignIn(props: {
  users: DevUser[];
  simulateStepUp: boolean;
  onSimulateStepUp: (on: boolean) => void;
  onChoose: (user: DevUser) => Promise<void>;
}) {
  const [chosen, setChosen] = useState(props.users[0]?.aadObjectId ?? '');
  const [busy, setBusy] = useState(false);
  const user = props.users.find((u) => u.aadObjectId === chosen);
  return (
    <main style={{ padding: 24, maxWidth: 560 }}>
      <MessageBar intent="warning">
        <MessageBarBody>
          <MessageBarTitle>DEVELOPMENT sign-in</MessageBarTitle>
          Not Microsoft Teams: demo users only. This screen does not exist in production.
        </MessageBarBody>
      </MessageBar>
      <h1>Sign in (development)</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!user) return;
          setBusy(true);
          void props.onChoose(user).finally(() => setBusy(false));
        }}
      >
        <Field label="Demo user">
          <Select value={chosen} onChange={(_, data) => setChosen(data.value)}>
            {props.users.map((u) => (
              <option key={u.aadObjectId} value={u.aadObjectId}>
                {u.displayName} ({u.roles.join(', ')})
              </option>
            ))}
          </Select>
        </Field>
        <Switch
          label="Simulate step-up"
          checked={props.simulateStepUp}
          onChange={(_, data) => props.onSimulateStepUp(data.checked)}
        />
        <div style={{ marginTop: 12 }}>
          <Button type="submit" appearance="primary" disabled={!user || busy}>
            Sign in
          </Button>
        </div>
      </form>
    </main>
  );
}
