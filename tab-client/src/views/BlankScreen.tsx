import { Button, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { messageOf } from '../format';

/** The blanked screen: nothing of any record, one click to come back. */
export function BlankScreen({ onUnblank }: { onUnblank: () => Promise<void> }) {
  const [error, setError] = useState<string>();
  return (
    <main
      aria-label="Screen blanked"
      style={{ display: 'grid', placeItems: 'center', minHeight: '100vh', textAlign: 'center' }}
    >
      <div>
        <h1>Screen blanked</h1>
        <Text as="p">Records are hidden. Click to show the screen again.</Text>
        <Button
          appearance="primary"
          autoFocus
          onClick={() => onUnblank().catch((e: unknown) => setError(messageOf(e)))}
        >
          Show the screen again
        </Button>
        {error && <p role="alert">{error}</p>}
      </div>
    </main>
  );
}
