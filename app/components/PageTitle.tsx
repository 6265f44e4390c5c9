import { Group, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';

/** The page's one h1, also set as the document title so screen readers announce the page. */
export function PageTitle({ children, actions }: { children: string; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${children} · Kith`;
  }, [children]);
  return (
    <Group justify="space-between" mb="md" wrap="wrap">
      <Title order={1} size="h2">
        {children}
      </Title>
      {actions}
    </Group>
  );
}
