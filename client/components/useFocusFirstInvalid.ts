'use client';
import { useEffect, type RefObject } from 'react';

/** After a failed submission, moves keyboard focus to the first field marked invalid. */
export function useFocusFirstInvalid(formRef: RefObject<HTMLFormElement | null>, trigger: unknown): void {
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [formRef, trigger]);
}
