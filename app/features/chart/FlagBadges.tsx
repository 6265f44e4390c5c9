import { Badge, type BadgeProps, Group } from '@mantine/core';
import { FLAG_KINDS, type FlagKind } from '../../../domain/flags.ts';

/** Colours with AA contrast (light variants carry near-black text); the label always says what the flag is. */
const SEVERITY_STYLE: Record<'high' | 'moderate' | 'info', BadgeProps> = {
  high: { color: 'red.9', variant: 'filled' },
  moderate: { color: 'orange', variant: 'light' },
  info: { color: 'blue', variant: 'light' },
};

/** One flag as a badge with its label, styled by severity. */
export function FlagBadge({ kind, title, size = 'sm' }: { kind: FlagKind; title?: string; size?: string }) {
  const flag = FLAG_KINDS[kind];
  return (
    <Badge size={size} radius="sm" {...SEVERITY_STYLE[flag.severity]} title={title}>
      {flag.label}
    </Badge>
  );
}

/** Flags, most severe first (the server sorts them). */
export function FlagBadges({ kinds, size }: { kinds: readonly FlagKind[]; size?: string }) {
  if (!kinds.length) return null;
  return (
    <Group gap={4} wrap="wrap">
      {kinds.map((kind) => (
        <FlagBadge key={kind} kind={kind} size={size} />
      ))}
    </Group>
  );
}
