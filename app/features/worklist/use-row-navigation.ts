import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';

/** Where the keyboard is busy with something else: typing, a picker, a dialog. */
const BUSY =
  'input, textarea, select, [contenteditable="true"], [role="combobox"], [role="listbox"], [role="dialog"]';

/**
 * Keyboard navigation of a list of rows, as mail and issue trackers do it: `j`/`k` or the arrow keys move
 * the selection (and the focus, to the row's link, so screen readers follow), `Enter` opens the selected
 * row, `/` jumps to the filter. Rows stay ordinary links for the mouse and for assistive technology.
 */
export function useRowNavigation({
  count,
  resetKey,
  open,
  filterRef,
  tableRef,
}: {
  count: number;
  /** Changes when the rows change (another page, other filters): the selection starts again. */
  resetKey: string;
  open: (index: number) => void;
  filterRef: RefObject<HTMLElement | null>;
  tableRef: RefObject<HTMLElement | null>;
}) {
  const [selected, setSelected] = useState(-1);
  const links = useRef<(HTMLAnchorElement | null)[]>([]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: resetKey is the trigger, not an input
  useEffect(() => setSelected(-1), [resetKey]);

  const move = useCallback(
    (delta: number) => {
      if (count === 0) return;
      const next = selected < 0 ? 0 : Math.min(count - 1, Math.max(0, selected + delta));
      setSelected(next);
      links.current[next]?.focus();
      links.current[next]?.scrollIntoView?.({ block: 'nearest' });
    },
    [count, selected],
  );

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target?.closest(BUSY)) return;
      const inList =
        !target || target === document.body || target.id === 'main' || tableRef.current?.contains(target);
      switch (event.key) {
        case '/':
          event.preventDefault();
          filterRef.current?.focus();
          return;
        case 'j':
        case 'k':
          event.preventDefault();
          move(event.key === 'j' ? 1 : -1);
          return;
        case 'ArrowDown':
        case 'ArrowUp':
          if (!inList) return;
          event.preventDefault();
          move(event.key === 'ArrowDown' ? 1 : -1);
          return;
        case 'Enter':
          // A focused link or button does its own thing; otherwise open the selected row.
          if (selected < 0 || target?.closest('a, button')) return;
          event.preventDefault();
          open(selected);
          return;
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [move, open, selected, filterRef, tableRef]);

  return {
    selected,
    /** Props for row i's link: its ref, and selecting the row when it gets focus by Tab or click. */
    linkProps: (index: number) => ({
      ref: (el: HTMLAnchorElement | null) => {
        links.current[index] = el;
      },
      onFocus: () => setSelected(index),
    }),
  };
}
