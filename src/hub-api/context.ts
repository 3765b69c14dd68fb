// What the hub's routes receive: the manage dependencies, the sign-up mode, the gateway's two addresses, traffic.
import type { TrafficSource } from '../gateway/traffic.ts';
import { Problem } from '../http/problem.ts';
import type { ManageDeps } from '../manage/context.ts';
import type { SignupMode } from '../model/hub.ts';
import type { AuthorizationSeals } from '../oauth/authorization-requests.ts';

export interface HubContext {
  readonly deps: ManageDeps;
  readonly signup: SignupMode;
  /** The gateway as callers reach it (GATEHOUSE_GATEWAY_PUBLIC_URL, else its own address): shown in URLs and collections. */
  gatewayUrl(): string;
  /** Where this process reaches its own gateway: the token requests and try-it calls the hub makes go there. */
  gatewayLocalUrl(): string;
  /** Reports on the gateway's traffic; absent when the analytics sink cannot report. */
  readonly traffic?: TrafficSource | undefined;
  /** Sent with relayed calls so the gateway sees the developer's address (see GatewayServerOptions.relaySecret). */
  readonly relaySecret?: string | undefined;
  /** Opens authorization requests and seals consents (the authorization code grant's login and consent page). */
  readonly seals?: AuthorizationSeals | undefined;
}

/** Error responses every route may give, for the OpenAPI document. */
export const errorResponses = { '4xx': Problem, '5xx': Problem };
