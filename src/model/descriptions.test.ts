// House rule: every field of every wire schema has a description (the docs and the console's forms use them).
import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { DesiredState } from '../declarative/schema.ts';
import { ApiSpec } from './api.ts';
import { AppCreate, CredentialCreate } from './app.ts';
import { AuditQuery } from './audit.ts';
import { DeveloperSpec } from './developer.ts';
import { KeyValueEntryPut, KeyValueEntryView, KeyValueMapListQuery, KeyValueMapScopeQuery, KeyValueMapSpec, KeyValueMapView } from './key-value-map.ts';
import { CatalogueProduct, HubAppCreate, HubAppUpdate, HubAppView, HubSessionExtras, HubTrafficReport, SignupBody, TokenRequest, TokenResult, TrafficQueryString, TryRequest, TryResult } from './hub.ts';
import { ProductSpec } from './product.ts';
import { PersonalTokenCreate, UserCreate, UserUpdate } from './user.ts';
import { SigningKeyList, SigningKeyRotation, SigningKeyRotationRequest } from './signing-key.ts';

type Json = Record<string, unknown>;

function undocumented(schema: Json, path: string, out: string[]): void {
  for (const option of (schema.anyOf as Json[] | undefined) ?? []) undocumented(option, path, out);
  if (schema.type === 'array') undocumented(schema.items as Json, `${path}[]`, out);
  const properties = schema.properties as Record<string, Json> | undefined;
  for (const [name, property] of Object.entries(properties ?? {})) {
    if (typeof property.description !== 'string' || property.description.length === 0) out.push(`${path}.${name}`);
    undocumented(property, `${path}.${name}`, out);
  }
}

describe('wire schemas', () => {
  const schemas: Record<string, TSchema> = { ApiSpec, ProductSpec, DeveloperSpec, AppCreate, CredentialCreate, UserCreate, UserUpdate, PersonalTokenCreate, AuditQuery, DesiredState, KeyValueMapSpec, KeyValueMapView, KeyValueMapScopeQuery, KeyValueMapListQuery, KeyValueEntryPut, KeyValueEntryView, SignupBody, HubSessionExtras, CatalogueProduct, HubAppCreate, HubAppUpdate, HubAppView, TokenRequest, TokenResult, TryRequest, TryResult, TrafficQueryString, HubTrafficReport, SigningKeyList, SigningKeyRotationRequest, SigningKeyRotation };
  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name} describes every field`, () => {
      const missing: string[] = [];
      undocumented(schema as unknown as Json, name, missing);
      expect(missing).toEqual([]);
    });
  }
});
