import { Button, Field, Input, Select } from '@fluentui/react-components';
import { useState } from 'react';
import { EXEMPTION_OPTIONS } from '../api-types';

/** What the review page sends to withhold words the app did not propose. */
export interface AddedRedaction {
  paragraphId: string;
  text: string;
  occurrence: number;
  exemption: string;
  otherText?: string;
}

/**
 * Withholding words the app did not propose (a name it does not know, a detail only the DSL
 * recognises): typed as written, every occurrence in the paragraph, with an exemption.
 */
export function SarAddRedaction(props: {
  paragraphId: string;
  paragraphText: string;
  label: string;
  onAdd: (added: AddedRedaction[]) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [exemption, setExemption] = useState('third-party-data');
  const [otherText, setOtherText] = useState('');
  const [error, setError] = useState<string>();
  if (!open) {
    return (
      <Button size="small" appearance="subtle" onClick={() => setOpen(true)}>
        Withhold other words in {props.label}
      </Button>
    );
  }
  const add = async () => {
    const words = text.trim();
    const count = words ? props.paragraphText.split(words).length - 1 : 0;
    if (count === 0) {
      setError('Those words are not in this paragraph (type them exactly as written).');
      return;
    }
    if (exemption === 'other' && !otherText.trim()) {
      setError('Say which exemption applies.');
      return;
    }
    setError(undefined);
    await props.onAdd(
      Array.from({ length: count }, (_, i) => ({
        paragraphId: props.paragraphId,
        text: words,
        occurrence: i + 1,
        exemption,
        ...(exemption === 'other' ? { otherText: otherText.trim() } : {}),
      })),
    );
    setText('');
    setOpen(false);
  };
  return (
    <div
      role="group"
      aria-label={`Withhold other words in ${props.label}`}
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'end' }}
    >
      <Field label="Words to withhold (as written)">
        <Input value={text} onChange={(_, d) => setText(d.value)} />
      </Field>
      <Select aria-label="Exemption" value={exemption} onChange={(_, d) => setExemption(d.value)}>
        {EXEMPTION_OPTIONS.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </Select>
      {exemption === 'other' && (
        <Field label="Which exemption">
          <Input value={otherText} onChange={(_, d) => setOtherText(d.value)} />
        </Field>
      )}
      <Button onClick={() => void add()}>Withhold</Button>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
