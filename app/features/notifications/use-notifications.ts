import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page, toQuery } from '../../api/client.ts';
import type { NotificationItem } from './types.ts';

export const NOTIFICATIONS_KEY = ['notifications'] as const;

/** The bell's count, polled every 30 seconds as a background request (it keeps no idle session alive). */
export function useUnreadCount() {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'unread-count'],
    queryFn: () => api.poll<{ unread: number }>('/api/notifications/unread-count'),
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
  });
}

/** One page of my notifications, newest first. */
export function useNotifications(q: { page: number; pageSize: number; unread?: boolean }, enabled = true) {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'list', q],
    queryFn: () =>
      api.get<Page<NotificationItem>>(
        `/api/notifications${toQuery({ page: q.page, pageSize: q.pageSize, unread: q.unread || undefined })}`,
      ),
    enabled,
  });
}

/** Mark one notification read, or all of them; the count and the lists refresh. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  const one = useMutation({
    mutationFn: (id: string) => api.post(`/api/notifications/${id}/read`),
    onSuccess: refresh,
  });
  const all = useMutation({
    mutationFn: () => api.post<{ marked: number }>('/api/notifications/read-all'),
    onSuccess: refresh,
  });
  return { one, all };
}
