import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../api/client.ts';
import type { Me } from '../../api/types.ts';
import { setOrganisationTimeZone } from '../../components/dates.ts';

export const ME_KEY = ['auth', 'me'] as const;

/** Reads who is signed in; null when nobody is. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me');
    setCsrfToken(me.csrfToken);
    // The organisation's zone, when the server includes it with the organisation.
    const organisation = me.user.organization as Me['user']['organization'] & { timeZone?: string };
    setOrganisationTimeZone(organisation.timeZone);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** The signed-in user and session, shared by every screen. */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

/** The signed-in user; only for screens rendered inside the signed-in shell. */
export function useSignedInUser(): Me['user'] {
  const { data } = useMe();
  if (!data) throw new Error('useSignedInUser used outside a session');
  return data.user;
}

/** Sign out of this session, or of every session, then forget who was signed in. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return async (everywhere = false) => {
    try {
      await api.post(everywhere ? '/api/auth/logout-all' : '/api/auth/logout');
    } finally {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(ME_KEY, null);
    }
  };
}
