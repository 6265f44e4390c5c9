import { Group, Text } from '@mantine/core';
import { Pager } from '../../components/Pager.tsx';
import type { SearchResponse } from './types.ts';

/** The search API pages up to 50 deep; a capped total says "more than", so the last page is not promised. */
const MAX_PAGE = 50;

export function SearchPager({
  data,
  page,
  onChange,
}: {
  data: SearchResponse | undefined;
  page: number;
  onChange: (page: number) => void;
}) {
  if (!data) return null;
  const pages = Math.min(MAX_PAGE, Math.ceil(data.total / data.pageSize));
  if (pages <= 1) return null;
  return (
    <Group gap="sm" align="center">
      <Pager
        result={{ total: pages * data.pageSize, pageSize: data.pageSize }}
        page={page}
        onChange={onChange}
      />
      <Text size="sm">
        Page {page} of {pages}
        {data.totalIsCapped ? ' or more' : ''}
      </Text>
    </Group>
  );
}
