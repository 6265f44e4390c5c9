import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Patient } from '../../api/types.ts';
import { type SearchState, writeSearch } from './search-params.ts';
import type {
  DirectoryLocation,
  DirectoryOrganization,
  ImportRun,
  LocationWriteBody,
  OrganizationSummary,
  OrganizationWriteBody,
  PartnerAccount,
  SearchResponse,
  ServiceDetail,
  ServiceWriteBody,
} from './types.ts';

export const resourcesKey = ['resources'] as const;
export const serviceKey = (serviceId: string) => ['resources', 'services', serviceId] as const;
export const organizationsKey = ['resources', 'organizations'] as const;

/** One page of a directory search; the previous page stays on screen while the next one loads. */
export function useResourceSearch(state: SearchState, enabled = true) {
  const query = writeSearch(state, { forApi: true }).toString();
  return useQuery({
    queryKey: ['resources', 'search', query],
    queryFn: () => api.get<SearchResponse>(`/api/resources/search${query ? `?${query}` : ''}`),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The patient a search is for: their name for the banner (reading the record is audited by the server). */
export function usePatientContext(patientId: string | null) {
  return useQuery({
    queryKey: ['patients', patientId],
    queryFn: () => api.get<Patient>(`/api/patients/${patientId}`),
    enabled: Boolean(patientId),
    staleTime: 60_000,
  });
}

export function useService(serviceId: string | undefined) {
  return useQuery({
    queryKey: serviceKey(serviceId ?? ''),
    queryFn: () => api.get<ServiceDetail>(`/api/resources/services/${serviceId}`),
    enabled: Boolean(serviceId),
  });
}

/** Creates (no id) or changes a service; a change carries the version it was read at. */
export function useSaveService(serviceId: string | undefined, onDone: (saved: ServiceDetail) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ServiceWriteBody) =>
      serviceId
        ? api.put<ServiceDetail>(`/api/resources/services/${serviceId}`, body)
        : api.post<ServiceDetail>('/api/resources/services', body),
    onSuccess: (saved) => {
      queryClient.setQueryData(serviceKey(saved.id), saved);
      // Search results and organisation counts change with the service.
      void queryClient.invalidateQueries({ queryKey: ['resources', 'search'] });
      void queryClient.invalidateQueries({ queryKey: organizationsKey });
      onDone(saved);
    },
  });
}

export function useOrganizations(enabled = true) {
  return useQuery({
    queryKey: organizationsKey,
    queryFn: () =>
      api.get<{ items: OrganizationSummary[] }>('/api/resources/organizations').then((r) => r.items),
    enabled,
  });
}

export function useOrganization(id: string | null) {
  return useQuery({
    queryKey: [...organizationsKey, id],
    queryFn: () => api.get<DirectoryOrganization>(`/api/resources/organizations/${id}`),
    enabled: Boolean(id),
  });
}

export function useSaveOrganization(id: string | null, onDone: (saved: DirectoryOrganization) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: OrganizationWriteBody) =>
      id
        ? api.put<DirectoryOrganization>(`/api/resources/organizations/${id}`, body)
        : api.post<DirectoryOrganization>('/api/resources/organizations', body),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: organizationsKey });
      onDone(saved);
    },
  });
}

export function useLocations(organizationId: string | null) {
  return useQuery({
    queryKey: [...organizationsKey, organizationId, 'locations'],
    queryFn: () =>
      api
        .get<{ items: DirectoryLocation[] }>(`/api/resources/organizations/${organizationId}/locations`)
        .then((r) => r.items),
    enabled: Boolean(organizationId),
  });
}

export function useAddLocation(organizationId: string, onDone: (location: DirectoryLocation) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LocationWriteBody) =>
      api.post<DirectoryLocation>(`/api/resources/organizations/${organizationId}/locations`, body),
    onSuccess: (location) => {
      void queryClient.invalidateQueries({ queryKey: [...organizationsKey, organizationId, 'locations'] });
      onDone(location);
    },
  });
}

export function usePartners(organizationId: string | null) {
  return useQuery({
    queryKey: [...organizationsKey, organizationId, 'partners'],
    queryFn: () =>
      api
        .get<{ items: PartnerAccount[] }>(`/api/resources/organizations/${organizationId}/partners`)
        .then((r) => r.items),
    enabled: Boolean(organizationId),
  });
}

/** Links a community_partner user to the organisation, or unlinks them; the list and the counts follow. */
export function usePartnerChange(organizationId: string) {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: organizationsKey });
  };
  return {
    add: useMutation({
      mutationFn: (userId: string) =>
        api.post<unknown>(`/api/resources/organizations/${organizationId}/partners`, { userId }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (userId: string) =>
        api.delete(`/api/resources/organizations/${organizationId}/partners/${userId}`),
      onSuccess: refresh,
    }),
  };
}

export function useImports(enabled = true) {
  return useQuery({
    queryKey: ['resources', 'imports'],
    queryFn: () => api.get<{ items: ImportRun[] }>('/api/resources/imports').then((r) => r.items),
    enabled,
  });
}
