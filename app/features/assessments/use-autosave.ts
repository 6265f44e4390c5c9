import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';

interface AutosaveOptions<P> {
  /** What to save; saved when its JSON changes, `delay` ms after the last change. */
  payload: P;
  /** The record's version when the form opened. */
  version: number;
  save: (payload: P, version: number) => Promise<{ version: number }>;
  /** Another save got there first (409): the caller reloads. */
  onConflict: () => void;
  enabled: boolean;
  delay?: number;
}

/**
 * Saves a draft as the worker goes: one save at a time, each with the version the last one answered, the
 * newest payload saved after a save in flight, and a last save when the form closes with changes unsaved.
 */
export function useAutosave<P>({
  payload,
  version,
  save,
  onConflict,
  enabled,
  delay = 800,
}: AutosaveOptions<P>) {
  const json = JSON.stringify(payload);
  const versionRef = useRef(version);
  const savedJsonRef = useRef(json);
  const latestRef = useRef({ json, payload });
  latestRef.current = { json, payload };
  const inFlightRef = useRef<Promise<void> | null>(null);
  const againRef = useRef(false);
  const timerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stoppedRef = useRef(false);
  const callbacksRef = useRef({ save, onConflict, enabled });
  callbacksRef.current = { save, onConflict, enabled };
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = useCallback((): Promise<void> => {
    if (inFlightRef.current) {
      againRef.current = true;
      return inFlightRef.current;
    }
    const { json: sending, payload: body } = latestRef.current;
    if (sending === savedJsonRef.current || !callbacksRef.current.enabled || stoppedRef.current)
      return Promise.resolve();
    setSaving(true);
    const attempt = callbacksRef.current
      .save(body, versionRef.current)
      .then((saved) => {
        versionRef.current = saved.version;
        savedJsonRef.current = sending;
        setSavedAt(new Date().toISOString());
        setError(null);
      })
      .catch((failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 409) callbacksRef.current.onConflict();
        else setError(failure);
      })
      .finally(() => {
        inFlightRef.current = null;
        setSaving(false);
        if (againRef.current) {
          againRef.current = false;
          void run();
        }
      });
    inFlightRef.current = attempt;
    return attempt;
  }, []);

  useEffect(() => {
    if (!enabled || json === savedJsonRef.current) return;
    timerRef.current = setTimeout(() => void run(), delay);
    return () => {
      if (timerRef.current) clearTimeout(timerRef.current);
    };
  }, [json, enabled, delay, run]);

  // Leaving the form with a change not yet saved: save it on the way out.
  useEffect(
    () => () => {
      if (callbacksRef.current.enabled && latestRef.current.json !== savedJsonRef.current) void run();
    },
    [run],
  );

  /** Waits for the save in flight and stops the pending one; answers the version to send next. */
  const settle = useCallback(async (): Promise<number> => {
    if (timerRef.current) clearTimeout(timerRef.current);
    againRef.current = false;
    while (inFlightRef.current) await inFlightRef.current;
    return versionRef.current;
  }, []);

  /** No more saves: the draft is being completed, declined or discarded. */
  const stop = useCallback(async (): Promise<number> => {
    stoppedRef.current = true;
    return settle();
  }, [settle]);

  /** Saves again after a stop that did not go through (the completion was refused), starting with what is unsaved. */
  const resume = useCallback(() => {
    stoppedRef.current = false;
    void run();
  }, [run]);

  /** Saves now whatever is unsaved, then answers the version. */
  const flush = useCallback(async (): Promise<number> => {
    await settle();
    await run();
    return versionRef.current;
  }, [settle, run]);

  return { savedAt, saving, error, stop, resume, flush };
}
