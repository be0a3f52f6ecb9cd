export { Authenticator } from './authenticator.ts';
export type { InsecurePredicate } from './authenticator.ts';
export { parseChallenges, pickChallenge } from './challenge.ts';
export type { Challenge } from './challenge.ts';
export { StaticCredentials, parseUserPass } from './credentials.ts';
export type { Credential, CredentialProvider } from './credentials.ts';
export { fetchToken, basicHeader, isPrivateHost } from './token.ts';
export type { Token, TokenRequest } from './token.ts';
export * from './keychains/index.ts';
