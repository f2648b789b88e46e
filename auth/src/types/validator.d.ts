// The one validator function auth uses (validator ships no types of its own).
declare module 'validator/lib/isEmail' {
  export default function isEmail(value: string): boolean;
}
