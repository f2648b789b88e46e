/**
 * A form's alert region: always in the DOM so screen readers announce new messages. Lists the
 * errors that name no field of the form, or a pointer to the fields when only they failed.
 */
export function ErrorAlert({ messages, hasFieldErrors = false }: { messages: string[]; hasFieldErrors?: boolean }) {
  const shown = messages.length > 0 ? messages : hasFieldErrors ? ['Please correct the highlighted fields.'] : [];
  return (
    <div role="alert" className={shown.length > 0 ? 'alert' : undefined}>
      {shown.length === 1 && <p>{shown[0]}</p>}
      {shown.length > 1 && (
        <ul>
          {shown.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
