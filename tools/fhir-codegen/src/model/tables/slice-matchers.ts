import type { ElementTable, SliceMatch, StructureTable } from '@nhs-fhir/validation';

interface Place {
  table: StructureTable;
  element: ElementTable;
}

/** Discriminator paths are simple FHIRPath: `url`, `system`, `coding.code`, `value.ofType(Quantity)`, `$this`. */
function pathSegments(path: string): string[] | undefined {
  const segments = path.split('.');
  // Functions other than ofType (resolve(), extension('...')) need instances: decided at run time by validating against
  // the slice.
  for (const segment of segments) if (segment.includes('(') && !/^ofType\([A-Za-z]+\)$/.test(segment)) return undefined;
  return segments.filter((segment) => segment !== '$this');
}

/** The element a folded element's children come from: its single type profile, else its base type. */
function typeRoot(
  place: Place,
  structures: ReadonlyMap<string, StructureTable>,
  baseTypes: Record<string, string>,
): Place | undefined {
  if (place.element.types.length !== 1) return undefined;
  const type = place.element.types[0]!;
  const url = type.profiles?.length === 1 ? type.profiles[0]! : baseTypes[type.code];
  const table = url === undefined ? undefined : structures.get(url);
  return table === undefined || table.elements[0] === undefined ? undefined : { table, element: table.elements[0] };
}

function step(
  place: Place,
  segment: string,
  structures: ReadonlyMap<string, StructureTable>,
  baseTypes: Record<string, string>,
): Place | undefined {
  const ofType = /^ofType\(([A-Za-z]+)\)$/.exec(segment);
  if (ofType !== null) {
    // On a choice element, ofType(X) keeps the variant; the element stays the same.
    return place.element.types.some((type) => type.code === ofType[1])
      ? {
          table: place.table,
          element: { ...place.element, types: place.element.types.filter((type) => type.code === ofType[1]) },
        }
      : undefined;
  }
  let here: Place | undefined = place;
  if (place.element.children === undefined) here = typeRoot(place, structures, baseTypes);
  if (here?.element.children === undefined) return undefined;
  const direct = here.element.children[segment];
  const index =
    direct ??
    Object.entries(here.element.children).find(([, child]) =>
      here.table.elements[child]?.path.endsWith(`.${segment}[x]`),
    )?.[1];
  const element = index === undefined ? undefined : here.table.elements[index];
  return element === undefined ? undefined : { table: here.table, element };
}

/** How to recognise one slice's items, from the sliced element's discriminators. */
function matcherFor(
  slice: ElementTable,
  sliced: ElementTable,
  table: StructureTable,
  structures: ReadonlyMap<string, StructureTable>,
  baseTypes: Record<string, string>,
): SliceMatch[] {
  return (sliced.slicing?.discriminators ?? []).map(({ type, path }): SliceMatch => {
    const segments = pathSegments(path);
    let place: Place | undefined = { table, element: slice };
    for (const segment of segments ?? [])
      place = place === undefined ? undefined : step(place, segment, structures, baseTypes);
    if (segments === undefined || place === undefined) return { path, type, undetermined: true };
    const element = place.element;
    if (type === 'value' || type === 'pattern') {
      const value = type === 'value' ? (element.fixed ?? element.pattern) : (element.pattern ?? element.fixed);
      return value === undefined ? { path, type, undetermined: true } : { path, type, value };
    }
    if (type === 'type') {
      const codes = element.types.map((ref) =>
        ref.profiles?.length === 1 ? (structures.get(ref.profiles[0]!)?.type ?? ref.code) : ref.code,
      );
      return codes.length === 0 ? { path, type, undetermined: true } : { path, type, codes };
    }
    if (type === 'profile') {
      const codes = element.types.flatMap((ref) => ref.profiles ?? []);
      return codes.length === 0 ? { path, type, undetermined: true } : { path, type, codes };
    }
    if (element.min >= 1) return { path, type, exists: true };
    if (element.max === 0) return { path, type, exists: false };
    return { path, type, undetermined: true };
  });
}

/**
 * Fills in `match` on every slice of a structure (needs the other structures: an extension slice's url is in its
 * definition).
 */
export function sliceMatchers(
  table: StructureTable,
  structures: ReadonlyMap<string, StructureTable>,
  baseTypes: Record<string, string>,
): void {
  for (const sliced of table.elements) {
    for (const sliceIndex of sliced.slices ?? []) {
      const slice = table.elements[sliceIndex];
      if (slice !== undefined) slice.match = matcherFor(slice, sliced, table, structures, baseTypes);
    }
  }
}
