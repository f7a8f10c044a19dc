// oidc-provider 9 ships no type declarations; the tests use it loosely.
declare module 'oidc-provider' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const Provider: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const errors: any;
  export default Provider;
}
