import type { ApiErrorItem } from './api/types';

export interface SplitErrors {
  /** Messages of errors naming one of the form's fields, by field. */
  byField: Partial<Record<string, string>>;
  /** Everything else: shown in the form's alert region. */
  general: string[];
}

/** Sorts API errors into those shown next to a field of this form and the rest. */
export function splitErrors(items: ApiErrorItem[], fields: readonly string[]): SplitErrors {
  const byField: Partial<Record<string, string>> = {};
  const general: string[] = [];
  for (const item of items) {
    if (item.field && fields.includes(item.field)) {
      byField[item.field] = byField[item.field] ? `${byField[item.field]} ${item.message}` : item.message;
    } else {
      general.push(item.message);
    }
  }
  return { byField, general };
}
