/**
 * Hand-written inputs for the profile model and emit tests: a base resource `Thing` (on the model
 * fixtures' datatypes), a small code system and value set, and profiles written as snapshots.
 */
import { buildProfileModel, type ProfileModel } from '../src/model/profile-model.js';
import { emitProfiles } from '../src/emit/profiles/emit-profiles.js';
import { ValueSetExpander } from '../src/fhir/index.js';
import { type PackageResource, structureFields } from '../src/load/package-store.js';
import { snapshotBuilder } from '../src/snapshot/build-snapshot.js';
import { HL7, el, fixtureGraph, sd, type Json } from './model-fixtures.js';

export const PROFILE_URL = 'https://example.org/StructureDefinition/ThingProfile';

/** Thing: the base resource every profile row constrains. */
export const thingBase = sd('Thing', 'resource', [
  el('Thing.id', 0, '1', ['string']),
  el('Thing.meta', 0, '1', ['Coding']),
  el('Thing.extension', 0, '*', ['Extension']),
  el('Thing.status', 0, '1', ['code'], {
    binding: { strength: 'required', valueSet: 'https://example.org/ValueSet/base-status' },
  }),
  el('Thing.code', 0, '1', ['Coding']),
  el('Thing.tag', 0, '*', ['Coding']),
  el('Thing.note', 0, '*', ['string']),
  el('Thing.subject', 0, '1', [{ code: 'Reference', targetProfile: [`${HL7}Organization`, `${HL7}Practitioner`] }]),
  el('Thing.value[x]', 0, '1', ['string', 'boolean']),
  el('Thing.retired', 0, '1', ['boolean']),
]);

const codeSystem: Json = {
  resourceType: 'CodeSystem',
  id: 'colours',
  url: 'https://example.org/CodeSystem/colours',
  content: 'complete',
  concept: [{ code: 'red' }, { code: 'green' }],
};
const valueSet: Json = {
  resourceType: 'ValueSet',
  id: 'colours',
  url: 'https://example.org/ValueSet/colours',
  compose: { include: [{ system: 'https://example.org/CodeSystem/colours' }] },
};

/** An extension definition with a string value. */
export const nicknameExtension: Json = {
  resourceType: 'StructureDefinition',
  id: 'nickname',
  url: 'https://example.org/StructureDefinition/nickname',
  name: 'ExtensionNickname',
  kind: 'complex-type',
  derivation: 'constraint',
  type: 'Extension',
  baseDefinition: `${HL7}Extension`,
  snapshot: {
    element: [
      p('Extension', 0, '*'),
      p('Extension.id', 0, '1', ['string']),
      p('Extension.url', 1, '1', ['uri'], { fixedUri: 'https://example.org/StructureDefinition/nickname' }),
      p('Extension.value[x]', 1, '1', ['string']),
    ],
  },
};

export const profileGraph = fixtureGraph([thingBase, codeSystem, valueSet, nicknameExtension]);

/**
 * A profile snapshot element: `p('Thing.tag:nhs.system', 1, '1', ['uri'], { fixedUri: '...' })`; the path drops slice
 * names, and a slice (`Thing.tag:nhs`) carries its `sliceName`.
 */
export function p(id: string, min: number, max: string, types: (string | Json)[] = [], extra: Json = {}): Json {
  const sliceName = /:([^.]+)$/.exec(id)?.[1];
  return el(id.replace(/:[^.]+/g, ''), min, max, types, {
    id,
    ...(sliceName === undefined ? {} : { sliceName }),
    ...extra,
  });
}

/** Thing's elements as the base has them, for rows that change only some. */
export const unchanged = {
  status: p('Thing.status', 0, '1', ['code'], {
    binding: { strength: 'required', valueSet: 'https://example.org/ValueSet/base-status' },
  }),
  code: p('Thing.code', 0, '1', ['Coding']),
  tag: p('Thing.tag', 0, '*', ['Coding']),
  note: p('Thing.note', 0, '*', ['string']),
};

/** A profile of Thing with the given snapshot elements (after the root). */
export function thingProfile(elements: Json[]): PackageResource {
  const json: Json = {
    resourceType: 'StructureDefinition',
    id: 'ThingProfile',
    url: PROFILE_URL,
    name: 'ThingProfile',
    kind: 'resource',
    derivation: 'constraint',
    type: 'Thing',
    baseDefinition: `${HL7}Thing`,
    snapshot: { element: [p('Thing', 0, '*', [], { short: 'A profiled thing' }), ...elements] },
  };
  return {
    resourceType: 'StructureDefinition',
    url: PROFILE_URL,
    version: undefined,
    id: 'ThingProfile',
    file: 'package/StructureDefinition-ThingProfile.json',
    packageKey: 'fixture.profiles#1.0.0',
    ...structureFields(json),
    json,
  };
}

/**
 * A profile of Thing as a package ships it, by its differential only (the spec-change tests compare two versions of
 * one): `url` names it, its id and name are the URL's last segment.
 */
export function thingDifferentialProfile(differential: Json[], url = PROFILE_URL): Json {
  const name = url.split('/').pop();
  return {
    resourceType: 'StructureDefinition',
    id: name,
    url,
    name,
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Thing',
    baseDefinition: `${HL7}Thing`,
    derivation: 'constraint',
    differential: { element: [{ id: 'Thing', path: 'Thing' }, ...differential] },
  };
}

/** The profile's model, from the snapshot stage's tree of its (shipped) snapshot. */
export function modelOf(resource: PackageResource): ProfileModel {
  return buildProfileModel(resource, snapshotBuilder(profileGraph.index).build(resource), {
    index: profileGraph.index,
    expander: new ValueSetExpander(profileGraph.index),
  });
}

/** The emitted file of a profile of Thing (with the nickname extension as a supporting type). */
export function emitThingProfile(elements: Json[]): string {
  const extension = modelOf({
    resourceType: 'StructureDefinition',
    url: String(nicknameExtension['url']),
    version: undefined,
    id: 'nickname',
    file: 'package/StructureDefinition-nickname.json',
    packageKey: 'fixture.profiles#1.0.0',
    ...structureFields(nicknameExtension),
    json: nicknameExtension,
  });
  const files = emitProfiles([modelOf(thingProfile(elements))], {
    basePackage: '@example/base',
    sources: ['fixture.profiles#1.0.0'],
    fhirVersion: '4.0.1',
    support: [extension],
  });
  return files.get('ThingProfile.ts')!;
}
