import { Alert } from '@mantine/core';
import type { ReactElement } from 'react';
import { useSignedInUser } from '../auth/session.ts';

/** Directory editing is for admins; anyone else who follows a link here is told so (the server refuses too). */
export function AdminOnly({ element }: { element: ReactElement }) {
  const user = useSignedInUser();
  if (user.role !== 'admin') {
    return (
      <Alert color="red" role="alert">
        Only administrators can edit the resource directory.
      </Alert>
    );
  }
  return element;
}
