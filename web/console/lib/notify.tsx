// Notifications for the outcome of an action: what happened, or what the server said went wrong.
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { asProblem } from '../../shared/load.ts';

/** At most this many at once: the newest replaces the oldest rather than waiting in a queue behind it. */
const LIMIT = 4;
const shown: string[] = [];

function show(data: Parameters<typeof notifications.show>[0]): void {
  while (shown.length >= LIMIT) {
    const oldest = shown.shift();
    if (oldest) notifications.hide(oldest);
  }
  const id: string = notifications.show({
    ...data,
    onClose: () => {
      const at = shown.indexOf(id);
      if (at >= 0) shown.splice(at, 1);
    },
  });
  shown.push(id);
}

export function notifySuccess(title: string, message?: string): void {
  show({ title, message: message ?? '', color: 'teal', icon: <IconCheck size={18} aria-hidden /> });
}

export function notifyError(error: unknown, title = 'That did not work'): void {
  const problem = asProblem(error);
  const fields = problem.problem.errors?.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)) ?? [];
  show({
    title,
    message: [problem.message, ...fields.slice(0, 4)].join('\n'),
    color: 'red',
    icon: <IconAlertTriangle size={18} aria-hidden />,
    autoClose: 8000,
    style: { whiteSpace: 'pre-line' },
  });
}

/**
 * Runs a change and reports it: the success message, or the server's error. Answers the result, or undefined when it
 * failed (the error has been shown).
 */
export async function run<T>(action: () => Promise<T>, messages: { success?: string; successDetail?: string; failure?: string }): Promise<T | undefined> {
  try {
    const result = await action();
    if (messages.success) notifySuccess(messages.success, messages.successDetail);
    return result;
  } catch (error) {
    notifyError(error, messages.failure);
    return undefined;
  }
}
