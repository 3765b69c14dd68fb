// A condition field checked as it is typed (POST /conditions/check, debounced): the parser's message and where it
// stopped, or a tick when the condition parses.
import { Box, Code, Loader, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../../shared/api.ts';
import type { ConditionCheck } from '../../lib/wire.ts';

export function ConditionInput({ label, value, onChange, disabled, description, placeholder }: { label: string; value: string; onChange: (value: string) => void; disabled?: boolean; description?: string; placeholder?: string }) {
  const [debounced] = useDebouncedValue(value, 350);
  const [result, setResult] = useState<{ condition: string; check: ConditionCheck } | undefined>();

  useEffect(() => {
    if (disabled || debounced.trim() === '') return;
    let live = true;
    api.post<ConditionCheck>('/conditions/check', { condition: debounced }).then(
      (check) => live && setResult({ condition: debounced, check }),
      // The check is a convenience: without it (an older server, no network) the deploy still validates.
      () => live && setResult(undefined),
    );
    return () => {
      live = false;
    };
  }, [debounced, disabled]);

  const check = result && result.condition === value && value.trim() !== '' ? result.check : undefined;
  const checking = !disabled && value.trim() !== '' && (debounced !== value || result?.condition !== value);
  const invalid = check && !check.valid ? check : undefined;

  return (
    <Box>
      <TextInput
        label={label}
        description={description}
        placeholder={placeholder ?? 'e.g. request.verb = "GET" and proxy.pathsuffix MatchesPath "/v1/**"'}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.currentTarget.value)}
        spellCheck={false}
        autoComplete="off"
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        error={invalid ? `${invalid.message} (at character ${invalid.position + 1})` : undefined}
        rightSection={
          checking ? (
            <Loader size={14} aria-label="Checking the condition" />
          ) : check?.valid ? (
            <Tooltip label="The condition is valid">
              <IconCircleCheck size={18} color="var(--mantine-color-teal-6)" aria-label="The condition is valid" role="img" />
            </Tooltip>
          ) : null
        }
      />
      {invalid && <Pointer text={value} position={invalid.position} />}
    </Box>
  );
}

/** The condition with the character the parser stopped at marked. */
function Pointer({ text, position }: { text: string; position: number }) {
  const at = Math.max(0, Math.min(position, text.length));
  return (
    <Text component="div" size="xs" mt={4} aria-hidden>
      <Code style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {text.slice(0, at)}
        <mark style={{ background: 'var(--mantine-color-red-2)', color: 'var(--mantine-color-red-9)', borderBottom: '2px solid var(--mantine-color-red-7)' }}>{text.slice(at, at + 1) || ' '}</mark>
        {text.slice(at + 1)}
      </Code>
    </Text>
  );
}
