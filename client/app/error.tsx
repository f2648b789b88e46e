'use client';
// Last resort for an unexpected rendering failure: a friendly page with a way to retry.
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <h1>Something went wrong</h1>
      <div role="alert" className="alert">
        <p>This page could not be shown. Please try again.</p>
      </div>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </>
  );
}
