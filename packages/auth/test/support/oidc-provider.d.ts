// oidc-provider 9 ships no type declarations; the tests use it loosely.
declare module 'oidc-provider' {
  // biome-ignore lint/suspicious/noExplicitAny: oidc-provider 9 ships no type declarations
  const Provider: any;
  // biome-ignore lint/suspicious/noExplicitAny: oidc-provider 9 ships no type declarations
  export const errors: any;
  export default Provider;
}
