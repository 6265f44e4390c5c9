import { Pagination } from '@mantine/core';

/** Page links under a server-paged list; nothing when everything fits on one page. */
export function Pager({
  result,
  page,
  onChange,
}: {
  result: { total: number; pageSize: number } | undefined;
  page: number;
  onChange: (page: number) => void;
}) {
  const totalPages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  if (totalPages <= 1) return null;
  return (
    <Pagination
      total={totalPages}
      value={page}
      onChange={onChange}
      getControlProps={(control) => ({ 'aria-label': `${control} page` })}
      getItemProps={(n) => ({ 'aria-label': `Page ${n}` })}
    />
  );
}
