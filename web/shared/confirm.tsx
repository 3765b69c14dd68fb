// A button (both web apps) that asks before doing something that cannot be undone, and shows the server's answer if it fails.
import { Alert, Button, Group, Modal, Text, type ButtonProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { asProblem } from './load.ts';

export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  onConfirm,
  color = 'red',
  ...buttonProps
}: ButtonProps & { children: ReactNode; title: string; message: ReactNode; confirmLabel: string; onConfirm: () => Promise<unknown> | void; 'aria-label'?: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const close = () => {
    setOpen(false);
    setError(undefined);
  };
  return (
    <>
      <Button color={color} {...buttonProps} onClick={() => setOpen(true)}>
        {children}
      </Button>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={open} onClose={close} title={title} centered>
        <Text size="sm">{message}</Text>
        {error && (
          <Alert color="red" mt="md" title="That did not work" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color={color}
            loading={busy}
            data-autofocus
            onClick={async () => {
              setBusy(true);
              try {
                await onConfirm();
                close();
              } catch (failure) {
                setError(asProblem(failure).message);
              } finally {
                setBusy(false);
              }
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
