// The hub API's wire types, imported from the server's schemas (type-only: erased from the bundle).
export type {
  AuthorizationPrompt,
  AuthorizationRedirect,
  CatalogueApi,
  CatalogueProduct,
  CatalogueProductSummary,
  HubAppCreate,
  HubAppUpdate,
  HubAppView,
  HubCredentialView,
  HubSessionExtras,
  HubTrafficReport,
  SignupMode,
  TokenEndpointView,
  TokenResult,
  TryRequest,
  TryResult,
  WorkspaceRefusal,
} from '../../../src/model/hub.ts';

export interface SessionUser {
  email: string;
  displayName: string | null;
  roles: string[];
}
