// A path the hub does not know.
import { Button } from '@mantine/core';
import { IconMapPinOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { Empty } from '../components/states.tsx';

export function NotFoundPage() {
  return (
    <Empty
      icon={<IconMapPinOff size={28} aria-hidden />}
      title="Page not found"
      description="There is nothing at this address. The catalogue is a good place to start."
      action={
        <Button component={Link} to="/">
          Go to the catalogue
        </Button>
      }
    />
  );
}
