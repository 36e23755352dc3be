import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError, type ApiClient } from '../api-client';
import { messageOf } from '../format';

/** The challenge in a failed load, when the API asked for step-up (else undefined). */
export const stepUpChallenge = (error: unknown): ApiError | undefined =>
  error instanceof ApiError && error.isStepUp ? error : undefined;

/**
 * Shown when the API answers a step-up challenge: asks for a token with the challenge's claims
 * (in Teams, Entra asks for the second factor), then retries.
 */
export function StepUpPrompt(props: { api: ApiClient; challenge: ApiError; onDone: () => void }) {
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setError(undefined);
    try {
      await props.api.stepUp(props.challenge.claims ?? '');
      props.onDone();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Confirm it is you</MessageBarTitle>
        {props.challenge.message}
        {error && <p role="alert">{error}</p>}
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={() => void confirm()}>
          Confirm with second factor
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
