import Link from 'next/link';

export default function NotFound() {
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is nothing here, or it belongs to someone else. <Link href="/">Browse tickets</Link>
      </p>
    </>
  );
}
