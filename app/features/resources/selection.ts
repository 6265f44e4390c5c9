import { type ComponentType, useCallback, useSyncExternalStore } from 'react';

/**
 * The services a worker has ticked in the directory to refer the patient to. The selection outlives moving
 * between the search and a service's page (kept in sessionStorage, so a reload keeps it too) and is the same
 * wherever it is read: the referrals feature reads it with `useServiceSelection()` and clears it once the
 * referrals are sent.
 */
export interface SelectedService {
  serviceId: string;
  /** The location chosen (a result is a service at a location); null for a service without one. */
  locationId: string | null;
  name: string;
  organization: { id: string; name: string };
  address: string | null;
}

/** As many as one referral request takes (ReferralCreateRequest.services). */
export const MAX_SELECTED = 10;
const STORAGE_KEY = 'kith.resources.selection';

export const selectionKey = (s: Pick<SelectedService, 'serviceId' | 'locationId'>) =>
  `${s.serviceId}:${s.locationId ?? ''}`;

function load(): SelectedService[] {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as SelectedService[]) : [];
  } catch {
    return [];
  }
}

let selected: SelectedService[] = typeof sessionStorage === 'undefined' ? [] : load();
const listeners = new Set<() => void>();

function set(next: SelectedService[]) {
  selected = next;
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Private browsing without storage: the selection still lives for this page.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Toggles a service in or out; false when the selection is already full. */
export function toggleSelected(service: SelectedService): boolean {
  const key = selectionKey(service);
  if (selected.some((s) => selectionKey(s) === key)) {
    set(selected.filter((s) => selectionKey(s) !== key));
    return true;
  }
  if (selected.length >= MAX_SELECTED) return false;
  set([...selected, service]);
  return true;
}

export function clearSelected(): void {
  set([]);
}

/**
 * The selection for referring: `selected` in the order ticked, `isSelected`, `toggle` (false when full),
 * `remove` and `clear`.
 */
export function useServiceSelection() {
  const current = useSyncExternalStore(subscribe, () => selected);
  const isSelected = useCallback(
    (s: Pick<SelectedService, 'serviceId' | 'locationId'>) =>
      current.some((c) => selectionKey(c) === selectionKey(s)),
    [current],
  );
  return {
    selected: current,
    isSelected,
    toggle: toggleSelected,
    remove: (s: Pick<SelectedService, 'serviceId' | 'locationId'>) =>
      set(selected.filter((c) => selectionKey(c) !== selectionKey(s))),
    clear: clearSelected,
  };
}

/** What the directory gives the referral action it shows beside the selection. */
export interface ReferActionProps {
  /** The patient the search is for (`?patientId=`), when it is for one. */
  patientId: string | null;
  /** The need the referral answers (`?needId=`), when the search came from one. */
  needId: string | null;
  selected: readonly SelectedService[];
  /** Empties the selection (after the referrals are sent). */
  clear: () => void;
}

let referAction: ComponentType<ReferActionProps> | null = null;

/**
 * The referrals feature registers the control that refers the selected services (a button opening its
 * dialog); the directory shows it in the selection bar of the search and on a service's page. Without one,
 * the bar only lists the selection.
 */
export function registerReferAction(component: ComponentType<ReferActionProps>): void {
  referAction = component;
}

export function referActionComponent(): ComponentType<ReferActionProps> | null {
  return referAction;
}
