import { Anchor, Group } from '@mantine/core';
import { Link } from 'react-router';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { ResourceSearch } from './ResourceSearch.tsx';

/** `/resources`: the community resource directory, searched from the keyboard. */
export function SearchPage() {
  const user = useSignedInUser();
  return (
    <>
      <PageTitle
        actions={
          user.role === 'admin' ? (
            <Group gap="sm">
              <Anchor component={Link} to="/resources/services/new">
                New service
              </Anchor>
            </Group>
          ) : undefined
        }
      >
        Community resources
      </PageTitle>
      <ResourceSearch />
    </>
  );
}
