import type { ApiError } from '@/lib/api/types';

/** A friendly notice for a page whose data could not be loaded (API down or refusing). */
export function ApiProblem({ error }: { error: ApiError }) {
  return (
    <div role="alert" className="alert">
      {error.errors.map((e, i) => (
        <p key={i}>{e.message}</p>
      ))}
    </div>
  );
}
